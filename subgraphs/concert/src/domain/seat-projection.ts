/**
 * How the catalog follows the booking saga and admins' seat blocks: which seat status each event means. Pure;
 * the booking subgraph decides who holds a seat, the catalog only shows it.
 */
import type { KnownEvent } from '@ticketing/contracts';
import { canonicalId, type SeatStatus } from './catalog';

export interface SeatStatusChange {
  scheduleId: string;
  seatIds: readonly string[];
  status: SeatStatus;
  /**
   * The booking subgraph's seatSequence: for any one seat a later claim change carries a larger
   * number. Events of different bookings arrive out of order, so a seat takes a change only if
   * its sequence beats the last one applied to it.
   */
  sequence: number;
}

/** The seat status change an event means, or null for events that move no seat. */
export function seatStatusChangeFor(event: KnownEvent): SeatStatusChange | null {
  // Not a switch: the catalogue keeps growing (payment, wallet, user, catalog, queue events), and none of the rest moves a seat.
  if (event.type === 'SeatsHeld') return change(event.payload, 'HELD');
  if (event.type === 'BookingConfirmed' || event.type === 'SeatsComped') return change(event.payload, 'SOLD');
  if (event.type === 'BookingCancelled' || event.type === 'BookingExpired' || event.type === 'BookingRefunded') return change(event.payload, 'AVAILABLE');
  // Blocks are claims in booking's same fence and draw from the same seat sequence, so they order with holds.
  if (event.type === 'SeatsBlocked') return change(event.payload, 'BLOCKED');
  if (event.type === 'SeatsReleased') return change(event.payload, 'AVAILABLE');
  return null;
}

function change(payload: { scheduleId: string; seatIds: readonly string[]; seatSequence: number }, status: SeatStatus): SeatStatusChange {
  return {
    scheduleId: canonicalId(payload.scheduleId),
    seatIds: [...new Set(payload.seatIds.map(canonicalId))],
    status,
    sequence: payload.seatSequence,
  };
}
