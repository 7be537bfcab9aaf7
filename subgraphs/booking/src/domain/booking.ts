import type { BookingEventType } from '@ticketing/contracts';

/**
 * The Booking aggregate: one fan's claim on some seats of one schedule, and where it stands in
 * the saga. Every transition is a pure function of the current state and `now`; it returns the
 * next state with the events to publish, or a named rejection. Persistence, locks and the
 * outbox are the application layer's business.
 */

export type BookingStatus = 'HELD' | 'PAYMENT_PENDING' | 'CONFIRMED' | 'CANCELLED' | 'EXPIRED';

/** Statuses whose seats are claimed. The database's one-live-claim-per-seat index uses the same set. */
export const CLAIMING_STATUSES: readonly BookingStatus[] = ['HELD', 'PAYMENT_PENDING', 'CONFIRMED'];

/** One fan cannot sweep a block of seats in one hold (API.md: 1 to 4). */
export const MAX_SEATS_PER_BOOKING = 4;

export interface Booking {
  id: string;
  userId: string;
  scheduleId: string;
  /** Sorted, so locks are always taken in the same order and events are deterministic. */
  seatIds: readonly string[];
  status: BookingStatus;
  /** Whole currency units (KRW): the sum of the seats' prices at hold time. */
  amount: number;
  /** The hold's deadline while seats are held (HELD, PAYMENT_PENDING); null once the booking ended. */
  heldUntil: Date | null;
  /** 0 after the hold, +1 per transition: optimistic concurrency and the events' stream version. */
  version: number;
}

export interface BookingTransition {
  status: BookingStatus;
  at: Date;
  reason: string | null;
}

/** A legal move: the state after it, the history entry it adds and the events it publishes. */
export interface Transitioned {
  kind: 'Transitioned';
  booking: Booking;
  transition: BookingTransition;
  events: readonly BookingEventType[];
}

/** Money arrived for a booking that already ended: nothing changes, the money goes back. */
export interface RefundRequired {
  kind: 'RefundRequired';
  booking: Booking;
  events: readonly ['RefundRequested'];
}

export type NoSeats = { kind: 'NoSeats' };
export type TooManySeats = { kind: 'TooManySeats'; max: number };
export type DuplicateSeats = { kind: 'DuplicateSeats'; seatIds: string[] };
export type InvalidPrice = { kind: 'InvalidPrice'; seatId: string };
export type NotOwner = { kind: 'NotOwner' };
export type InvalidState = { kind: 'InvalidState'; status: BookingStatus; allowed: readonly BookingStatus[] };
export type HoldExpired = { kind: 'HoldExpired'; heldUntil: Date };
export type HoldNotExpired = { kind: 'HoldNotExpired'; heldUntil: Date };
/** The hold would pass the schedule's cap on one fan's seats; `remaining` more may still be held. */
export type SeatLimitReached = { kind: 'SeatLimitReached'; limit: number; remaining: number };

export type BookingRejection =
  | NoSeats
  | TooManySeats
  | DuplicateSeats
  | InvalidPrice
  | NotOwner
  | InvalidState
  | HoldExpired
  | HoldNotExpired
  | SeatLimitReached;

export interface HoldRequest {
  bookingId: string;
  userId: string;
  scheduleId: string;
  /** The seats with their catalogue price at the moment of the hold. */
  seats: ReadonlyArray<{ seatId: string; price: number }>;
  holdTtlSeconds: number;
}

/** Why a booking is cancelled: by its owner while held, or by the saga while payment is pending. */
export type CancelCause =
  | { kind: 'CancelledByOwner'; userId: string }
  | { kind: 'PaymentFailed'; reason: string }
  | { kind: 'PaymentTimedOut' };

/** The hold has lapsed from its deadline on (inclusive), for paying and for the sweeper alike. */
export function isHoldLapsed(booking: Booking, now: Date): boolean {
  return booking.heldUntil !== null && now.getTime() >= booking.heldUntil.getTime();
}

export function claimsSeats(status: BookingStatus): boolean {
  return CLAIMING_STATUSES.includes(status);
}

function moveTo(
  booking: Booking,
  status: BookingStatus,
  now: Date,
  reason: string,
  event: BookingEventType,
): Transitioned {
  const next: Booking = {
    ...booking,
    status,
    heldUntil: status === 'HELD' || status === 'PAYMENT_PENDING' ? booking.heldUntil : null,
    version: booking.version + 1,
  };
  return { kind: 'Transitioned', booking: next, transition: { status, at: now, reason }, events: [event] };
}

const invalidState = (booking: Booking, allowed: readonly BookingStatus[]): InvalidState => ({
  kind: 'InvalidState',
  status: booking.status,
  allowed,
});

/** How many and which seats one hold may ask for, checked before anything is looked up. */
export function checkSeatSelection(seatIds: readonly string[]): NoSeats | TooManySeats | DuplicateSeats | null {
  if (seatIds.length === 0) return { kind: 'NoSeats' };
  if (seatIds.length > MAX_SEATS_PER_BOOKING) return { kind: 'TooManySeats', max: MAX_SEATS_PER_BOOKING };
  const sorted = [...seatIds].sort();
  const duplicates = sorted.filter((id, i) => i > 0 && sorted[i - 1] === id);
  return duplicates.length > 0 ? { kind: 'DuplicateSeats', seatIds: [...new Set(duplicates)] } : null;
}

/**
 * One fan's seats on one schedule (bookings HELD, PAYMENT_PENDING or CONFIRMED) never pass the
 * schedule's cap, however many queue tickets, tabs and bookings they spread them over: the
 * per-booking limit alone lets a fan buy 1, queue again and hold 4 more (OWASP API6).
 * `seatsClaimed` must be counted where no other hold of the same fan can change it meanwhile.
 */
export function checkFanSeatLimit(fan: { seatsClaimed: number; requested: number; limit: number }): SeatLimitReached | null {
  const remaining = Math.max(0, fan.limit - fan.seatsClaimed);
  return fan.requested > remaining ? { kind: 'SeatLimitReached', limit: fan.limit, remaining } : null;
}

/** A new booking holding the given seats until now + TTL. */
export function hold(request: HoldRequest, now: Date): Transitioned | NoSeats | TooManySeats | DuplicateSeats | InvalidPrice {
  const seatIds = request.seats.map((seat) => seat.seatId).sort();
  const badSelection = checkSeatSelection(seatIds);
  if (badSelection) return badSelection;
  const badPrice = request.seats.find((seat) => !Number.isSafeInteger(seat.price) || seat.price < 0);
  if (badPrice) return { kind: 'InvalidPrice', seatId: badPrice.seatId };
  const booking: Booking = {
    id: request.bookingId,
    userId: request.userId,
    scheduleId: request.scheduleId,
    seatIds,
    status: 'HELD',
    amount: request.seats.reduce((sum, seat) => sum + seat.price, 0),
    heldUntil: new Date(now.getTime() + request.holdTtlSeconds * 1000),
    version: 0,
  };
  return {
    kind: 'Transitioned',
    booking,
    transition: { status: 'HELD', at: now, reason: 'seats held' },
    events: ['SeatsHeld'],
  };
}

/** The owner pays before the deadline: HELD → PAYMENT_PENDING, which the sweeper leaves alone. */
export function requestPayment(booking: Booking, userId: string, now: Date): Transitioned | NotOwner | InvalidState | HoldExpired {
  if (booking.userId !== userId) return { kind: 'NotOwner' };
  if (booking.status !== 'HELD') return invalidState(booking, ['HELD']);
  if (isHoldLapsed(booking, now)) return { kind: 'HoldExpired', heldUntil: booking.heldUntil! };
  return moveTo(booking, 'PAYMENT_PENDING', now, 'payment requested', 'PaymentRequested');
}

/**
 * Payment completed. PAYMENT_PENDING → CONFIRMED, even past the hold deadline (the pending
 * payment was a lock). If the booking already ended, the money must go back instead.
 */
export function confirm(booking: Booking, now: Date): Transitioned | RefundRequired | InvalidState {
  if (booking.status === 'CANCELLED' || booking.status === 'EXPIRED') {
    return { kind: 'RefundRequired', booking, events: ['RefundRequested'] };
  }
  if (booking.status !== 'PAYMENT_PENDING') return invalidState(booking, ['PAYMENT_PENDING']);
  return moveTo(booking, 'CONFIRMED', now, 'payment completed', 'BookingConfirmed');
}

/** Ends a booking early and releases its seats. */
export function cancel(booking: Booking, cause: CancelCause, now: Date): Transitioned | NotOwner | InvalidState {
  switch (cause.kind) {
    case 'CancelledByOwner':
      if (booking.userId !== cause.userId) return { kind: 'NotOwner' };
      // A pending payment may still debit the wallet: only the payment's outcome can end it.
      if (booking.status !== 'HELD') return invalidState(booking, ['HELD']);
      return moveTo(booking, 'CANCELLED', now, 'cancelled by the fan', 'BookingCancelled');
    case 'PaymentFailed':
      if (booking.status !== 'PAYMENT_PENDING') return invalidState(booking, ['PAYMENT_PENDING']);
      return moveTo(booking, 'CANCELLED', now, `payment failed: ${cause.reason}`, 'BookingCancelled');
    case 'PaymentTimedOut':
      if (booking.status !== 'PAYMENT_PENDING') return invalidState(booking, ['PAYMENT_PENDING']);
      return moveTo(booking, 'CANCELLED', now, 'payment timed out', 'BookingCancelled');
  }
}

/** The sweeper ends a hold whose deadline has passed without payment. */
export function expire(booking: Booking, now: Date): Transitioned | InvalidState | HoldNotExpired {
  if (booking.status !== 'HELD') return invalidState(booking, ['HELD']);
  if (!isHoldLapsed(booking, now)) return { kind: 'HoldNotExpired', heldUntil: booking.heldUntil! };
  return moveTo(booking, 'EXPIRED', now, 'hold expired before payment', 'BookingExpired');
}
