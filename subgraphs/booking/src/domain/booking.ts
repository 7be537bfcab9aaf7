import { BOOKING_CURRENCY, type BookingEventType, type EventPayload } from '@ticketing/contracts';

/**
 * The Booking aggregate: one fan's claim on some seats of one schedule, and where it stands in
 * the saga. Every transition is a pure function of the current state and `now`; it returns the
 * next state with the events it publishes (type and contract payload), or a named rejection.
 * Persistence, locks, envelopes and the outbox are the application layer's business.
 */

export type BookingStatus = 'HELD' | 'PAYMENT_PENDING' | 'CONFIRMED' | 'CANCELLED' | 'EXPIRED' | 'REFUNDED';

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
  /** 0 after the hold, +1 per step (each publishes one event): optimistic concurrency and the events' stream version. */
  version: number;
  /** The waiting-room ticket that admitted the hold; null only for rows older than the saga. */
  queueTicketId: string | null;
  /** The payment that confirmed the booking; null until then. */
  paymentId: string | null;
}

/** Events whose payload tells the seat projection something, so they carry a seat sequence. */
type SeatSequenced = 'SeatsHeld' | 'BookingConfirmed' | 'BookingCancelled' | 'BookingExpired' | 'BookingRefunded' | 'SeatsComped';
const SEAT_SEQUENCED: ReadonlySet<BookingEventType> = new Set<SeatSequenced>([
  'SeatsHeld',
  'BookingConfirmed',
  'BookingCancelled',
  'BookingExpired',
  'BookingRefunded',
  'SeatsComped',
]);

/** A booking event as published: its type and its contract's payload. */
export type BookingEvent = { [T in BookingEventType]: { type: T; payload: EventPayload<T> } }[BookingEventType];

/**
 * A booking event as a transition decides it: complete but for the seat sequence of a
 * seat-changing event. That number comes from a database sequence drawn after the claims are
 * written (drawn before, a hold could carry a smaller number than the release it waited
 * for), so no decider can know it; `withSeatSequence` puts it in its place.
 */
export type DecidedEvent = {
  [T in BookingEventType]: { type: T; payload: T extends SeatSequenced ? Omit<EventPayload<T>, 'seatSequence'> : EventPayload<T> };
}[BookingEventType];

export interface BookingTransition {
  status: BookingStatus;
  at: Date;
  reason: string | null;
}

/** A step of the booking's stream: the state after it, the history entry it adds and its events (one each). */
export interface Decided {
  booking: Booking;
  transition: BookingTransition;
  events: readonly DecidedEvent[];
}

/** A legal move from one status to the next. */
export interface Transitioned extends Decided {
  kind: 'Transitioned';
}

/** Money arrived for a booking that already ended: the status stays, the money goes back (a step, not a move). */
export interface RefundRequired extends Decided {
  kind: 'RefundRequired';
}

export type NoSeats = { kind: 'NoSeats' };
export type TooManySeats = { kind: 'TooManySeats'; max: number };
export type DuplicateSeats = { kind: 'DuplicateSeats'; seatIds: string[] };
export type InvalidPrice = { kind: 'InvalidPrice'; seatId: string };
export type NotOwner = { kind: 'NotOwner' };
export type InvalidState = { kind: 'InvalidState'; status: BookingStatus; allowed: readonly BookingStatus[] };
export type HoldExpired = { kind: 'HoldExpired'; heldUntil: Date };
export type HoldNotExpired = { kind: 'HoldNotExpired'; heldUntil: Date };
/** An admin's block or a refund must say why, in 1 to `max` characters (after trimming). */
export type ReasonRequired = { kind: 'ReasonRequired'; max: number };
/** The owner asked for their money back after the schedule's refund cutoff (only an admin may refund now). */
export type RefundWindowClosed = { kind: 'RefundWindowClosed'; cutoff: Date };
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
  | RefundWindowClosed
  | ReasonRequired
  | SeatLimitReached;

/** Reasons are free text for people (history, dashboards): the contract's bound on them. */
export const MAX_REASON_LENGTH = 500;

/** The reason as it will be stored, or the refusal when it is empty or too long. */
export function trimmedReason(reason: string): string | ReasonRequired {
  const trimmed = reason.trim();
  return trimmed.length === 0 || trimmed.length > MAX_REASON_LENGTH ? { kind: 'ReasonRequired', max: MAX_REASON_LENGTH } : trimmed;
}

export interface HoldRequest {
  bookingId: string;
  userId: string;
  scheduleId: string;
  /** The waiting-room ticket that admitted the fan. */
  queueTicketId: string;
  /** The seats with their catalogue price at the moment of the hold. */
  seats: ReadonlyArray<{ seatId: string; price: number }>;
  holdTtlSeconds: number;
}

/** Why a booking is cancelled: by its owner while held, or by the saga while payment is pending. */
export type CancelCause =
  | { kind: 'CancelledByOwner'; userId: string }
  | { kind: 'PaymentFailed'; reason: string }
  | { kind: 'PaymentTimedOut' };

/**
 * Who gives a confirmed booking back, and why. The owner may until `cutoff` (the schedule's start
 * minus its refund window, looked up by the caller); an admin may at any time.
 */
export type RefundCause =
  | { kind: 'RefundedByAdmin'; adminId: string; reason: string }
  | { kind: 'RefundedByOwner'; userId: string; reason: string; cutoff: Date };

/** The hold has lapsed from its deadline on (inclusive), for paying and for the sweeper alike. */
export function isHoldLapsed(booking: Booking, now: Date): boolean {
  return booking.heldUntil !== null && now.getTime() >= booking.heldUntil.getTime();
}

export function claimsSeats(status: BookingStatus): boolean {
  return CLAIMING_STATUSES.includes(status);
}

/** Whether the events need a seat sequence before they can be published. */
export function needsSeatSequence(events: readonly DecidedEvent[]): boolean {
  return events.some((event) => SEAT_SEQUENCED.has(event.type));
}

/** The events as published, seat-changing ones numbered with `seatSequence` (drawn after their claims were written). */
export function withSeatSequence(events: readonly DecidedEvent[], seatSequence: number | null): BookingEvent[] {
  return events.map((event) => {
    if (!SEAT_SEQUENCED.has(event.type)) return event as BookingEvent;
    if (seatSequence === null) throw new Error(`${event.type} needs a seat sequence`);
    return { ...event, payload: { ...event.payload, seatSequence } } as BookingEvent;
  });
}

/** A fact the saga recorded before this transition; missing means a bug upstream, not a rejection. */
function required<T>(value: T | null, what: string, event: BookingEventType): T {
  if (value === null) throw new Error(`${event} needs ${what}`);
  return value;
}

const seatsOf = (booking: Booking) => ({
  bookingId: booking.id,
  userId: booking.userId,
  scheduleId: booking.scheduleId,
  seatIds: [...booking.seatIds],
});

function moveTo(
  booking: Booking,
  change: { status: BookingStatus; paymentId?: string },
  now: Date,
  reason: string,
  event: (next: Booking, reason: string) => DecidedEvent,
): Transitioned {
  const { status } = change;
  const next: Booking = {
    ...booking,
    status,
    heldUntil: status === 'HELD' || status === 'PAYMENT_PENDING' ? booking.heldUntil : null,
    version: booking.version + 1,
    paymentId: change.paymentId ?? booking.paymentId,
  };
  return { kind: 'Transitioned', booking: next, transition: { status, at: now, reason }, events: [event(next, reason)] };
}

const invalidState = (booking: Booking, allowed: readonly BookingStatus[]): InvalidState => ({
  kind: 'InvalidState',
  status: booking.status,
  allowed,
});

/** How many and which seats one hold (or, with its own cap, one block) may name, checked before anything is looked up. */
export function checkSeatSelection(seatIds: readonly string[], max: number = MAX_SEATS_PER_BOOKING): NoSeats | TooManySeats | DuplicateSeats | null {
  if (seatIds.length === 0) return { kind: 'NoSeats' };
  if (seatIds.length > max) return { kind: 'TooManySeats', max };
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
    queueTicketId: request.queueTicketId,
    paymentId: null,
  };
  return {
    kind: 'Transitioned',
    booking,
    transition: { status: 'HELD', at: now, reason: 'seats held' },
    events: [
      {
        type: 'SeatsHeld',
        payload: { ...seatsOf(booking), amount: booking.amount, heldUntil: booking.heldUntil!.toISOString(), queueTicketId: request.queueTicketId },
      },
    ],
  };
}

/** The owner pays before the deadline: HELD → PAYMENT_PENDING, which the sweeper leaves alone. */
export function requestPayment(booking: Booking, userId: string, now: Date): Transitioned | NotOwner | InvalidState | HoldExpired {
  if (booking.userId !== userId) return { kind: 'NotOwner' };
  if (booking.status !== 'HELD') return invalidState(booking, ['HELD']);
  if (isHoldLapsed(booking, now)) return { kind: 'HoldExpired', heldUntil: booking.heldUntil! };
  return moveTo(booking, { status: 'PAYMENT_PENDING' }, now, 'payment requested', (next) => ({
    type: 'PaymentRequested',
    payload: { bookingId: next.id, userId: next.userId, amount: next.amount },
  }));
}

/**
 * Payment `paymentId` completed. PAYMENT_PENDING → CONFIRMED, even past the hold deadline (the
 * pending payment was a lock). If the booking already ended, the money must go back instead:
 * the status stays, but the request is a step of the stream (a version and a history line).
 */
export function confirm(booking: Booking, paymentId: string, now: Date): Transitioned | RefundRequired | InvalidState {
  if (booking.status === 'CANCELLED' || booking.status === 'EXPIRED') {
    const reason = `payment arrived after the booking was ${booking.status.toLowerCase()}: refund requested`;
    return {
      kind: 'RefundRequired',
      booking: { ...booking, version: booking.version + 1 },
      transition: { status: booking.status, at: now, reason },
      events: [{ type: 'RefundRequested', payload: { bookingId: booking.id, userId: booking.userId, paymentId, amount: booking.amount, reason } }],
    };
  }
  if (booking.status !== 'PAYMENT_PENDING') return invalidState(booking, ['PAYMENT_PENDING']);
  return moveTo(booking, { status: 'CONFIRMED', paymentId }, now, 'payment completed', (next) => ({
    type: 'BookingConfirmed',
    payload: {
      ...seatsOf(next),
      amount: next.amount,
      currency: BOOKING_CURRENCY,
      paymentId,
      queueTicketId: required(next.queueTicketId, 'a queue ticket', 'BookingConfirmed'),
      // The deadline before this move cleared it: the event says whether the pending payment kept the seats past it.
      heldUntil: booking.heldUntil?.toISOString() ?? null,
    },
  }));
}

const cancelled = (next: Booking, reason: string): DecidedEvent => ({ type: 'BookingCancelled', payload: { ...seatsOf(next), reason } });

/** Ends a booking early and releases its seats. */
export function cancel(booking: Booking, cause: CancelCause, now: Date): Transitioned | NotOwner | InvalidState {
  switch (cause.kind) {
    case 'CancelledByOwner':
      if (booking.userId !== cause.userId) return { kind: 'NotOwner' };
      // A pending payment may still debit the wallet: only the payment's outcome can end it.
      if (booking.status !== 'HELD') return invalidState(booking, ['HELD']);
      return moveTo(booking, { status: 'CANCELLED' }, now, 'cancelled by the fan', cancelled);
    case 'PaymentFailed':
      if (booking.status !== 'PAYMENT_PENDING') return invalidState(booking, ['PAYMENT_PENDING']);
      return moveTo(booking, { status: 'CANCELLED' }, now, `payment failed: ${cause.reason}`, cancelled);
    case 'PaymentTimedOut':
      if (booking.status !== 'PAYMENT_PENDING') return invalidState(booking, ['PAYMENT_PENDING']);
      return moveTo(booking, { status: 'CANCELLED' }, now, 'payment timed out', cancelled);
  }
}

/** The sweeper ends a hold whose deadline has passed without payment. */
export function expire(booking: Booking, now: Date): Transitioned | InvalidState | HoldNotExpired {
  if (booking.status !== 'HELD') return invalidState(booking, ['HELD']);
  if (!isHoldLapsed(booking, now)) return { kind: 'HoldNotExpired', heldUntil: booking.heldUntil! };
  return moveTo(booking, { status: 'EXPIRED' }, now, 'hold expired before payment', (next) => ({ type: 'BookingExpired', payload: seatsOf(next) }));
}

/** The history line of a refund, for the decider and for a restore from the event store alike. */
export function refundHistoryReason(refundedBy: 'ADMIN' | 'OWNER', reason: string): string {
  return `${refundedBy === 'ADMIN' ? 'refunded by an admin' : "refunded at the fan's request"}: ${reason}`;
}

/**
 * A CONFIRMED booking is given back: CONFIRMED → REFUNDED, its seats on sale again (the claims
 * stop being live in the same transaction) and its payment to be returned by the payment
 * subgraph, which reacts to BookingRefunded once. The owner must ask before the cutoff (at it,
 * too late); an admin may ask at any time.
 */
export function refund(booking: Booking, cause: RefundCause, now: Date): Transitioned | NotOwner | InvalidState | RefundWindowClosed | ReasonRequired {
  if (cause.kind === 'RefundedByOwner' && booking.userId !== cause.userId) return { kind: 'NotOwner' };
  const reason = trimmedReason(cause.reason);
  if (typeof reason !== 'string') return reason;
  if (booking.status !== 'CONFIRMED') return invalidState(booking, ['CONFIRMED']);
  if (cause.kind === 'RefundedByOwner' && now.getTime() >= cause.cutoff.getTime()) return { kind: 'RefundWindowClosed', cutoff: cause.cutoff };
  const [refundedBy, requestedBy] = cause.kind === 'RefundedByAdmin' ? (['ADMIN', cause.adminId] as const) : (['OWNER', cause.userId] as const);
  return moveTo(booking, { status: 'REFUNDED' }, now, refundHistoryReason(refundedBy, reason), (next) => ({
    type: 'BookingRefunded',
    payload: { ...seatsOf(next), paymentId: next.paymentId, amount: next.amount, reason, refundedBy, requestedBy },
  }));
}

/** A comp's guest must be named, in 1 to `max` characters (after trimming). */
export type GuestNameRequired = { kind: 'GuestNameRequired'; max: number };
export const MAX_GUEST_NAME_LENGTH = 200;

export interface CompRequest {
  bookingId: string;
  /** The admin booking it: the owner of record. */
  adminId: string;
  scheduleId: string;
  seatIds: readonly string[];
  guestName: string;
  /** How many seats one comp may name (the caller's cap: a block's). */
  maxSeats: number;
}

/** A new comp and the guest's name as it will be stored. */
export type Comped = Transitioned & { guestName: string };

/**
 * A comp for a named guest: a new booking CONFIRMED at once, amount 0, no queue ticket and no
 * payment. Only seats an admin blocked may be comped; the caller releases them from their
 * blocks in the same transaction, so the claim fence sees the block's claim end before the
 * comp's begins.
 */
export function comp(request: CompRequest, now: Date): Comped | NoSeats | TooManySeats | DuplicateSeats | GuestNameRequired {
  const badSelection = checkSeatSelection(request.seatIds, request.maxSeats);
  if (badSelection) return badSelection;
  const guestName = request.guestName.trim();
  if (guestName.length === 0 || guestName.length > MAX_GUEST_NAME_LENGTH) return { kind: 'GuestNameRequired', max: MAX_GUEST_NAME_LENGTH };
  const booking: Booking = {
    id: request.bookingId,
    userId: request.adminId,
    scheduleId: request.scheduleId,
    seatIds: [...request.seatIds].sort(),
    status: 'CONFIRMED',
    amount: 0,
    heldUntil: null,
    version: 0,
    queueTicketId: null,
    paymentId: null,
  };
  return {
    kind: 'Transitioned',
    booking,
    guestName,
    transition: { status: 'CONFIRMED', at: now, reason: COMP_HISTORY_REASON },
    events: [{ type: 'SeatsComped', payload: seatsOf(booking) }],
  };
}

/** The history line of a comp, for the decider and for a restore from the event store alike. */
export const COMP_HISTORY_REASON = 'complimentary seats booked by an admin for a guest';
