import type { KnownEvent } from '@ticketing/contracts';

/**
 * How an on-sale is going, per schedule, folded from the catalog's, booking's, payment's and the
 * waiting room's events. Counters only ever move by deltas, so a schedule's dashboard is the sum
 * of its events' deltas in position order: live and replayed, the same events give the same sums.
 */
export interface SectionCounters {
  seatsTotal: number;
  seatsHeld: number;
  seatsSold: number;
  seatsBlocked: number;
  revenue: number;
}

export interface SalesCounters extends SectionCounters {
  refunded: number;
  bookingsConfirmed: number;
  bookingsCancelled: number;
  bookingsExpired: number;
  fansAdmitted: number;
}

export interface SalesDashboard extends SalesCounters {
  scheduleId: string;
  bySection: Array<SectionCounters & { section: string }>;
  /** The last global position applied: what the dashboard is up to date with. */
  asOfPosition: number;
  /** When the last applied event happened (by its producer's clock): replays give the same value. */
  updatedAt: string | null;
}

/** What the projection remembers of a seat: immutable facts, save a price the catalog may change before sales start. */
export interface SeatFact {
  seatId: string;
  scheduleId: string;
  section: string;
  price: number;
}

/**
 * What the projection remembers of a booking from its hold: its schedule and how its seats and
 * amount split over sections. Written once (the first hold wins), so a re-applied batch reads the
 * split it made the first time.
 */
export interface BookingFact {
  bookingId: string;
  scheduleId: string;
  sections: Array<{ section: string; seats: number; share: number }>;
}

/** One event's effect on one schedule's dashboard. */
export interface SalesDelta {
  scheduleId: string;
  totals: Partial<SalesCounters>;
  sections: Record<string, Partial<SectionCounters>>;
}

/** The events that move a dashboard (and teach it seats and bookings). */
const SALES_TYPES = [
  'ScheduleCreated',
  'SeatsAdded',
  'SectionPriceChanged',
  'FanAdmitted',
  'SeatsHeld',
  'BookingConfirmed',
  'BookingCancelled',
  'BookingExpired',
  'BookingRefunded',
  'SeatsComped',
  'PaymentRefunded',
  'SeatsBlocked',
  'SeatsReleased',
] as const;
export type SalesEvent = Extract<KnownEvent, { type: (typeof SALES_TYPES)[number] }>;
export const isSalesEvent = (event: KnownEvent): event is SalesEvent => (SALES_TYPES as readonly string[]).includes(event.type);

/** Where a seat belongs when the projection never saw it added (a schedule created before its events existed). */
export const UNKNOWN_SECTION = '(unknown)';

export const emptyCounters = (): SalesCounters => ({
  seatsTotal: 0,
  seatsHeld: 0,
  seatsSold: 0,
  seatsBlocked: 0,
  revenue: 0,
  refunded: 0,
  bookingsConfirmed: 0,
  bookingsCancelled: 0,
  bookingsExpired: 0,
  fansAdmitted: 0,
});

/**
 * Splits a whole amount by weights into whole parts that add up to it exactly (largest
 * remainders; ties to the earlier part), so section revenues always sum to the total.
 */
export function apportion(amount: number, weights: readonly number[]): number[] {
  if (weights.length === 0) return [];
  const sum = weights.reduce((total, weight) => total + weight, 0);
  const even = sum <= 0;
  const exact = weights.map((weight) => (even ? amount / weights.length : (amount * weight) / sum));
  const parts = exact.map(Math.floor);
  let left = amount - parts.reduce((total, part) => total + part, 0);
  const byRemainder = exact.map((value, index) => ({ index, remainder: value - Math.floor(value) })).sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (const { index } of byRemainder) {
    if (left <= 0) break;
    parts[index]! += 1;
    left -= 1;
  }
  return parts;
}

/**
 * A hold's split over sections: seats counted per section, its amount shared by the seats'
 * catalog prices (evenly when none is known). Seats the projection never saw go to UNKNOWN_SECTION.
 */
export function bookingFactOf(
  hold: Pick<Extract<SalesEvent, { type: 'SeatsHeld' }>['payload'], 'bookingId' | 'scheduleId' | 'seatIds' | 'amount'>,
  seat: (seatId: string) => SeatFact | undefined,
): BookingFact {
  const bySection = new Map<string, { seats: number; price: number }>();
  for (const seatId of hold.seatIds) {
    const known = seat(seatId);
    const section = known?.section ?? UNKNOWN_SECTION;
    const entry = bySection.get(section) ?? { seats: 0, price: 0 };
    bySection.set(section, { seats: entry.seats + 1, price: entry.price + (known?.price ?? 0) });
  }
  const sections = [...bySection.entries()];
  const shares = apportion(
    hold.amount,
    sections.map(([, entry]) => entry.price),
  );
  return {
    bookingId: hold.bookingId,
    scheduleId: hold.scheduleId,
    sections: sections.map(([section, entry], index) => ({ section, seats: entry.seats, share: shares[index]! })),
  };
}

/** The sections a booking's seats are in, when its hold was never seen (counted, with no revenue split). */
const unknownSplit = (seats: number): BookingFact['sections'] => [{ section: UNKNOWN_SECTION, seats, share: 0 }];

function perSection(split: BookingFact['sections'], counters: (part: BookingFact['sections'][number]) => Partial<SectionCounters>) {
  return Object.fromEntries(split.map((part) => [part.section, counters(part)]));
}

/**
 * Pure: what one event does to its schedule's dashboard, given the facts remembered so far (the
 * seats' sections, the bookings' splits); null for an event of no schedule the projection knows.
 * Holds and pending payments both count as held seats; a confirmation turns them sold.
 */
export function salesDeltaOf(
  event: SalesEvent,
  facts: {
    booking: (bookingId: string) => BookingFact | undefined;
    /** The seats' sections, for blocks (a block names seats, not a booking); unknown seats go to UNKNOWN_SECTION. */
    seat: (seatId: string) => SeatFact | undefined;
  },
): SalesDelta | null {
  switch (event.type) {
    case 'ScheduleCreated':
    case 'SectionPriceChanged':
      return { scheduleId: event.payload.scheduleId, totals: {}, sections: {} };
    case 'SeatsAdded': {
      const sections: SalesDelta['sections'] = {};
      for (const seat of event.payload.seats) sections[seat.section] = { seatsTotal: (sections[seat.section]?.seatsTotal ?? 0) + 1 };
      return { scheduleId: event.payload.scheduleId, totals: { seatsTotal: event.payload.seats.length }, sections };
    }
    case 'FanAdmitted':
      return { scheduleId: event.payload.scheduleId, totals: { fansAdmitted: 1 }, sections: {} };
    case 'SeatsHeld': {
      const split = facts.booking(event.payload.bookingId)?.sections ?? unknownSplit(event.payload.seatIds.length);
      return {
        scheduleId: event.payload.scheduleId,
        totals: { seatsHeld: event.payload.seatIds.length },
        sections: perSection(split, (part) => ({ seatsHeld: part.seats })),
      };
    }
    case 'BookingConfirmed':
    case 'BookingRefunded': {
      const { seatIds, amount, scheduleId } = event.payload;
      const split = facts.booking(event.payload.bookingId)?.sections ?? unknownSplit(seatIds.length);
      // The hold's split of its amount, applied to the amount actually paid, so sections add up to
      // revenue; a refund takes back exactly what its confirmation added (same split, same amount).
      const revenues = apportion(
        amount,
        split.map((part) => part.share),
      );
      if (event.type === 'BookingRefunded') {
        // Revenue is what confirmed bookings keep; the money going back shows in `refunded` once payment returned it.
        return {
          scheduleId,
          totals: { seatsSold: -seatIds.length, revenue: -amount },
          sections: Object.fromEntries(split.map((part, index) => [part.section, { seatsSold: -part.seats, revenue: -revenues[index]! }])),
        };
      }
      return {
        scheduleId,
        totals: { seatsHeld: -seatIds.length, seatsSold: seatIds.length, revenue: amount, bookingsConfirmed: 1 },
        sections: Object.fromEntries(split.map((part, index) => [part.section, { seatsHeld: -part.seats, seatsSold: part.seats, revenue: revenues[index]! }])),
      };
    }
    case 'BookingCancelled':
    case 'BookingExpired': {
      const { seatIds, scheduleId } = event.payload;
      const split = facts.booking(event.payload.bookingId)?.sections ?? unknownSplit(seatIds.length);
      const ended = event.type === 'BookingCancelled' ? { bookingsCancelled: 1 } : { bookingsExpired: 1 };
      return {
        scheduleId,
        totals: { seatsHeld: -seatIds.length, ...ended },
        sections: perSection(split, (part) => ({ seatsHeld: -part.seats })),
      };
    }
    case 'SeatsComped': {
      // Free seats for a guest: sold, no revenue. Their block's SeatsReleased (same transaction) took them out of `seatsBlocked`.
      const { seatIds, scheduleId } = event.payload;
      const split = facts.booking(event.payload.bookingId)?.sections ?? unknownSplit(seatIds.length);
      return { scheduleId, totals: { seatsSold: seatIds.length }, sections: perSection(split, (part) => ({ seatsSold: part.seats })) };
    }
    case 'SeatsBlocked':
    case 'SeatsReleased': {
      // An admin's block takes seats off sale without a booking; its release puts them back.
      const { seatIds, scheduleId } = event.payload;
      const sign = event.type === 'SeatsBlocked' ? 1 : -1;
      const sections: SalesDelta['sections'] = {};
      for (const seatId of seatIds) {
        const section = facts.seat(seatId)?.section ?? UNKNOWN_SECTION;
        sections[section] = { seatsBlocked: (sections[section]?.seatsBlocked ?? 0) + sign };
      }
      return { scheduleId, totals: { seatsBlocked: sign * seatIds.length }, sections };
    }
    case 'PaymentRefunded': {
      // A refund names its booking, not the schedule: the hold remembered which schedule that was.
      const booking = facts.booking(event.payload.bookingId);
      return booking ? { scheduleId: booking.scheduleId, totals: { refunded: event.payload.amount }, sections: {} } : null;
    }
  }
}

/** Pure: deltas added up (what one write per schedule applies for a whole batch). */
export function sumDeltas(scheduleId: string, deltas: readonly SalesDelta[]): SalesDelta {
  const totals: Partial<SalesCounters> = {};
  const sections: SalesDelta['sections'] = {};
  for (const delta of deltas) {
    addInto(totals, delta.totals);
    for (const [section, counters] of Object.entries(delta.sections)) addInto((sections[section] ??= {}), counters);
  }
  return { scheduleId, totals, sections };
}

function addInto<T extends Record<string, number | undefined>>(target: T, source: Partial<T>): void {
  for (const [key, value] of Object.entries(source)) {
    if (value) (target as Record<string, number>)[key] = ((target as Record<string, number | undefined>)[key] ?? 0) + value;
  }
}

/** Seats nobody holds, bought or blocked (never below 0: a hold of a seat the projection never saw added). */
export const seatsAvailable = (counters: SectionCounters) => Math.max(0, counters.seatsTotal - counters.seatsHeld - counters.seatsSold - counters.seatsBlocked);

/** Confirmed bookings per fan admitted; 0 before anyone was admitted. */
export const conversion = (counters: SalesCounters) => (counters.fansAdmitted > 0 ? counters.bookingsConfirmed / counters.fansAdmitted : 0);
