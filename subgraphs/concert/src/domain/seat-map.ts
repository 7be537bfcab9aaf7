/**
 * A schedule's whole seat map: every seat with its price and status, in display order. It is
 * read as one unit (and cached as one), so filters and counts are computed from the same snapshot.
 */
import type { Seat, SeatStatus } from './catalog';

export interface SeatMap {
  scheduleId: string;
  /** When its seats were read from the database (a cached map's statuses may be newer: they follow changes in place). */
  builtAt: Date;
  seats: readonly Seat[];
}

const DIGITS = /^\d+$/;

/** Numeric labels compare as numbers (row 9 before row 10); other labels by code point. */
function compareLabels(a: string, b: string): number {
  if (DIGITS.test(a) && DIGITS.test(b)) {
    const difference = Number(a) - Number(b);
    if (difference !== 0) return difference;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Display order: section, then row, then seat number. */
export function compareSeats(a: Seat, b: Seat): number {
  return compareLabels(a.section, b.section) || compareLabels(a.row, b.row) || a.number - b.number;
}

export function buildSeatMap<S extends Seat>(scheduleId: string, seats: readonly S[], builtAt: Date): SeatMap & { seats: readonly S[] } {
  return { scheduleId, builtAt, seats: [...seats].sort(compareSeats) };
}

/** All seats when `status` is null, otherwise only those in that status; order is kept. */
export function seatsWithStatus(map: SeatMap, status: SeatStatus | null): Seat[] {
  return status === null ? [...map.seats] : map.seats.filter((seat) => seat.status === status);
}

export function availableSeatCount(map: SeatMap): number {
  let count = 0;
  for (const seat of map.seats) if (seat.status === 'AVAILABLE') count += 1;
  return count;
}
