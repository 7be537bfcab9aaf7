import type { keyset } from '@ticketing/platform';
import type { EventEnvelope } from '@ticketing/contracts';
import type { Booking, BookingStatus, BookingTransition, Decided, Transitioned } from '../domain/booking';
import type { BlockClaim, SeatBlock, SeatBlockStep } from '../domain/seat-block';

/** A booking as readers see it: its state plus when it was made and every status it has had. */
export interface BookingDetails extends Omit<Booking, 'queueTicketId' | 'paymentId'> {
  createdAt: Date;
  /** A comp's guest (bookBlockedSeats); null for a fan's booking. */
  guestName: string | null;
  /** Oldest first. */
  history: readonly BookingTransition[];
}

/** Keyset position in a user's bookings, ordered newest first by (createdAt, id). */
export type BookingCursor = keyset.KeysetCursor;

/** Reads of bookings. Writes arrive with the saga (hold, pay, cancel, expire). */
export interface BookingStore {
  /** Any order; unknown ids are simply absent. */
  findByIds(ids: readonly string[]): Promise<BookingDetails[]>;
  /** The user's bookings after `after`, newest first, at most `first`. */
  listByUser(query: { userId: string; first: number; after: BookingCursor | null }): Promise<{
    bookings: BookingDetails[];
    hasNextPage: boolean;
  }>;
  /** One schedule's bookings matching every filter given, after `after`, newest first, at most `first`. */
  listBySchedule(query: { scheduleId: string; filter: ScheduleBookingsFilter; first: number; after: BookingCursor | null }): Promise<{
    bookings: BookingDetails[];
    hasNextPage: boolean;
  }>;
}

/** What the back office narrows a schedule's bookings by; absent filters match everything. */
export interface ScheduleBookingsFilter {
  status?: BookingStatus;
  userId?: string;
  /** Made at or after. */
  createdFrom?: Date;
  /** Made before. */
  createdBefore?: Date;
}

/** A booking as the write side loads it: the aggregate plus the payBooking key stored beside it. */
export interface StoredBooking extends Booking {
  paymentIdempotencyKey: string | null;
}

/** Where an event chain comes from: the request or message that caused this write. */
export interface Causation {
  correlationId: string;
  causationId: string | null;
}

/** Facts a transition stores beside the new state. */
export interface SagaFacts {
  paymentIdempotencyKey?: string;
  paymentRequestedAt?: Date;
}

/** The seats of a hold are claimed already (the database fence said so). */
export class SeatsTaken extends Error {
  constructor(readonly seatId: string | null) {
    super(`seat ${seatId ?? '(unknown)'} is already claimed`);
  }
}

/** One queue ticket backs one live booking at a time (the fan cancels or lets it lapse to try again). */
export class TicketAlreadyHolding extends Error {
  constructor() {
    super('this queue ticket already backs a live booking');
  }
}

/**
 * The queue ticket's booking was sold (CONFIRMED, or REFUNDED since): the waiting room retires
 * such a ticket, so it backs no other booking, whatever a pass issued earlier says.
 */
export class TicketRetired extends Error {
  constructor() {
    super('this queue ticket was retired by a sold booking');
  }
}

/** The payBooking key was already used for another booking of the same fan. */
export class PaymentKeyReused extends Error {
  constructor() {
    super('idempotency key already used for another booking');
  }
}

/** Writes of one database transaction; the state and its events commit together (see record-transition.ts). */
export interface BookingTransaction {
  /** Loads and row-locks a booking (null when unknown): concurrent writers of it queue up here. */
  lock(bookingId: string): Promise<StoredBooking | null>;
  /**
   * Records an admin's comp (a new booking with its guest's name), its claims and its history
   * line; throws SeatsTaken if any seat has a live claim. Returns the seat sequence number its
   * events carry, drawn after the claims were written (see nextSeatSequence).
   */
  insertBooking(booking: Transitioned, guestName?: string | null): Promise<{ seatSequence: number }>;
  /**
   * Persists a step of a locked booking (guarded by its version), its history line and its
   * events (`envelopes`, into the outbox). When the events need a seat sequence
   * (needsSeatSequence), a number is drawn after the claims were written and set as each such
   * event's `seatSequence`, replacing the placeholder it was enveloped with.
   */
  apply(before: StoredBooking, next: Decided, facts: SagaFacts, envelopes: readonly EventEnvelope[]): Promise<void>;
  /**
   * The next number of the seat sequence. Drawn after this transaction wrote its claims, so for
   * any one seat a later claim change always draws a larger number.
   */
  nextSeatSequence(): Promise<number>;
  /** The seats among `seatIds` with a live claim now: held, awaiting payment, sold or blocked. */
  claimedSeats(seatIds: readonly string[]): Promise<string[]>;
  /** Records a new block and its claims; throws SeatsTaken if any seat has a live claim (the same fence as holds). */
  insertBlock(block: SeatBlock, at: Date): Promise<void>;
  /** The live block claims of `seatIds` on the schedule, their blocks row-locked so releases of one block queue up. */
  lockBlockClaims(scheduleId: string, seatIds: readonly string[]): Promise<BlockClaim[]>;
  /** Ends the step's claims (RELEASED) and moves its block to the step's version, guarded by the version before. */
  applyRelease(step: SeatBlockStep): Promise<void>;
  /** Writes enveloped events to this transaction's outbox (the relay publishes them after commit). */
  appendToOutbox(envelopes: readonly EventEnvelope[]): Promise<void>;
  /** Locks up to `limit` bookings in `status` whose deadline passed, skipping rows other sweepers hold. */
  lockOverdue(status: 'HELD' | 'PAYMENT_PENDING', deadline: Date, limit: number): Promise<StoredBooking[]>;
}

export interface BookingWriter {
  /** Runs `work` in one transaction; a thrown error rolls everything back and is rethrown. */
  transaction<T>(work: (tx: BookingTransaction) => Promise<T>): Promise<T>;
  /**
   * A fan's new hold, in a transaction of its own: counts the seats the fan claims on the
   * schedule (HELD, PAYMENT_PENDING, CONFIRMED) under a lock that holds off every other hold of
   * the same (fan, schedule) until this one commits, and records the booking, its claims, its
   * history line and `envelopes` only if the requested seats fit under `maxSeatsPerFan`
   * (OverCap otherwise, with the count). The envelopes' seat sequence (payload.seatSequence) is the
   * one drawn after the claims were written, whatever they carried. Throws SeatsTaken if any seat
   * has a live claim, TicketAlreadyHolding if the queue ticket backs a live booking, TicketRetired
   * if it backed a sold one.
   */
  insertHold(hold: Transitioned, envelopes: readonly EventEnvelope[], cap: { maxSeatsPerFan: number }): Promise<FanHoldOutcome>;
  /**
   * A booking as it stands (not locked) with its details, and in the same read the booking this
   * user already requested payment for with `key`, if any. That answer may predate a concurrent
   * payBooking with the same key; the unique (user, key) index is the fence (PaymentKeyReused),
   * this the friendly early answer.
   */
  readForPayment(bookingId: string, userId: string, key: string): Promise<{ booking: (StoredBooking & BookingDetails) | null; keyUsedFor: string | null }>;
  /**
   * A step decided on a booking read without a lock, as one statement of its own (the step and
   * its outbox rows, as BookingTransaction.apply writes them), written only if the booking is
   * still at `before`'s version. False when another write got there first: nothing was written,
   * and the caller reads again and decides on what it finds.
   */
  applyIfUnchanged(before: StoredBooking, next: Decided, facts: SagaFacts, envelopes: readonly EventEnvelope[]): Promise<boolean>;
  /** BookingTransaction.claimedSeats as one read of its own, outside any transaction (nothing locked). */
  claimedSeats(seatIds: readonly string[]): Promise<string[]>;
  /** The seats among `seatIds` of the schedule that are BLOCKED now, one read of its own (nothing locked). */
  blockedSeats(scheduleId: string, seatIds: readonly string[]): Promise<string[]>;
}

export type FanHoldOutcome = { kind: 'Held' } | { kind: 'OverCap'; seatsClaimed: number };

/** The waiting room's verdict on a pass or queue token for this fan and schedule. */
export type Admission = { admitted: true; ticketId: string; expiresAt: Date } | { admitted: false; reason: string };

export interface AdmissionChecker {
  /**
   * `token` is a pass or a queue token, for `userId`; `authorization` is the fan's own bearer
   * token, for the waiting room: a queue token only admits the fan it was issued to.
   */
  check(input: { token: string; scheduleId: string; userId: string; authorization: string }): Promise<Admission>;
}

/** What the concert catalog sets for holds on one schedule. */
export interface SaleTerms {
  /** Price per seat id of the schedule. */
  seatPrices: ReadonlyMap<string, number>;
  /** Most seats one fan may claim on the schedule, across all their bookings. */
  maxSeatsPerFan: number;
  /** Set while an admin has closed the schedule's sales: holds are refused (blocks are not). */
  salesClosedAt?: Date | null;
}

/** A schedule's seat prices and per-fan cap, as the concert catalog has them. */
export interface SeatCatalog {
  /** The schedule's terms (covering `wanted` if the catalog knows those seats), or null for an unknown schedule. */
  saleTerms(scheduleId: string, wanted: readonly string[]): Promise<SaleTerms | null>;
}

/** How long before a schedule's start its fans may still give a confirmed booking back, as the concert catalog has it. */
export interface RefundPolicy {
  /** The instant from which the owner may no longer refund a booking of the schedule (an admin still may); null for an unknown schedule. */
  ownerRefundCutoff(scheduleId: string): Promise<Date | null>;
}

/** Short Redis locks on seats, taken all at once: a stampede on one seat is turned away before PostgreSQL. */
export interface SeatLocks {
  /** All or none, for `owner` (a fresh token when not named); null when any seat is locked by another request or owner. */
  acquire(scheduleId: string, seatIds: readonly string[], owner?: string): Promise<{ release: () => Promise<void> } | null>;
  /** Gives back each seat's lock if `owner` still holds it (one that lapsed and was taken since stays with its taker). */
  releaseOwned(scheduleId: string, owned: ReadonlyArray<{ seatId: string; owner: string }>): Promise<void>;
}
