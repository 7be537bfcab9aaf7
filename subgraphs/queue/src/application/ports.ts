import type { EventEnvelope, QueueProgress, QueueTicketChanged } from '@ticketing/contracts';
import type { AdmissionPolicy, PolicySettings } from '../domain/admission-policy';
import type { QueueEvent } from '../domain/queue-events';
import type { LineState, StoredTicket } from '../domain/queue-ticket';
import type { SaleWindowChange } from '../domain/sale-window';

export interface PolicyUpdate {
  /** The settings in force when none is stored yet. */
  defaults: PolicySettings;
  /** Pure: the next settings from the current ones, and the events that change is. */
  decide: (current: PolicySettings) => { settings: PolicySettings; events: readonly QueueEvent[] };
  /** Envelopes for the events, numbered from the schedule's `queue` stream version. */
  stamp: (events: readonly QueueEvent[], fromVersion: number) => EventEnvelope[];
  /** Who changes it (the admin's user id), recorded on the policy and in the audit. */
  actor: string;
}

/** Stored admission policies and their audit trail. */
export interface AdmissionPolicyStore {
  find(scheduleId: string): Promise<AdmissionPolicy | null>;
  /**
   * Applies `decide` to the current settings under a row lock and writes the result together
   * with an audit row (before, after, actor) and the change's events (outbox) in one
   * transaction: concurrent admins serialise, no change is ever stored without its audit entry
   * and its events, and the row lock keeps the schedule's stream versions gapless.
   */
  update(scheduleId: string, update: PolicyUpdate): Promise<AdmissionPolicy>;
}

/** What the queue needs to know about a schedule it does not own (the concert subgraph does). */
export interface ScheduleFacts {
  id: string;
  bookingOpensAt: Date;
}

export interface ScheduleCatalog {
  /** Null for a schedule that does not exist; throws when the catalog cannot be asked. */
  find(scheduleId: string): Promise<ScheduleFacts | null>;
}

/** A ticket and its schedule's line, read in one atomic step together with the waiting room's clock. */
export interface TicketRead {
  ticket: StoredTicket;
  line: LineState;
  now: Date;
}

export interface EnterRequest {
  scheduleId: string;
  userId: string;
  /** Used only if the fan has no live ticket for this schedule yet. */
  newTicketId: string;
  opensAt: Date;
}

export type EnterOutcome = (TicketRead & { kind: 'Entered'; created: boolean }) | { kind: 'SalesClosed' };

export interface LiveCounts {
  waiting: number;
  preQueue: number;
  /** ACTIVE tickets not yet past their expiry. */
  active: number;
  admitted: number;
  /** The rate ETAs use right now; null before the first admission tick. */
  admitsPerSecond: number | null;
}

export interface AdmissionSettings {
  /** The policy of a schedule without a stored one. */
  defaults: PolicySettings;
  activeTtlSeconds: number;
}

/** One admission step of one schedule: what changed and the line afterwards. */
export interface AdmissionTick {
  scheduleId: string;
  now: Date;
  nowServing: number;
  admitsPerSecond: number;
  /** Nobody admitted: an admin paused the queue, or the catalog closed the schedule's sales. */
  paused: boolean;
  opened: boolean;
  opensAt: Date | null;
  waiting: number;
  preQueue: number;
  active: number;
  admitted: Array<{ ticketId: string; queueNumber: number; expiresAt: Date }>;
  expired: string[];
  /** The step would have admitted fans, but the schedule's prices are not frozen yet: it admitted none. */
  awaitingPriceFreeze: boolean;
}

/**
 * The catalog's price freeze (concert subgraph). Answers only once the freeze is committed, so a
 * price change either committed before it or is refused: admitting after `Frozen` is safe.
 */
export interface PriceFreezer {
  freeze(scheduleId: string): Promise<'Frozen' | 'UnknownSchedule'>;
}

export interface NumberedTicket {
  ticketId: string;
  queueNumber: number;
}

export type DrawResult = { kind: 'NotDue' } | { kind: 'Drawn'; numbered: NumberedTicket[]; opened: boolean };

/** A ticket as the durable record knows it: issued, numbered, admitted, retired. */
export interface RecordedTicket {
  ticketId: string;
  userId: string;
  enteredAt: Date;
  queueNumber: number | null;
  admittedAt: Date | null;
  expiresAt: Date | null;
  retiredAt: Date | null;
}

/** Facts of a schedule's whole record, for a restore done in batches. */
export interface RecordTotals {
  /** Tickets ever admitted. */
  admittedTotal: number;
  /** The highest queue number ever given (0 for none): a number given in a restore comes after it. */
  highestNumber: number;
}

export interface RestoreResult {
  /** Tickets Redis had lost and were recreated. */
  restored: number;
  /** Tickets Redis had but behind the record (a lost draw number, admission or retirement). */
  repaired: number;
  /** Numbers given in the restore (a draw lost in both copies): the record must learn them. */
  numbered: NumberedTicket[];
}

/**
 * The durable copy of every ticket issued (PostgreSQL), with the admissions and retirements the
 * outbox holds: what a restore puts back into Redis after a crash lost part of it (ADR 0011).
 */
export interface TicketRecord {
  /** Idempotent; a number once known is never replaced. Before the fan gets their token. */
  issued(ticket: { ticketId: string; scheduleId: string; userId: string; enteredAt: Date; queueNumber: number | null }): Promise<void>;
  /** The numbers a draw (or a restore) gave. */
  numbered(scheduleId: string, tickets: readonly NumberedTicket[]): Promise<void>;
  /** Schedules with a ticket issued since then: those a restore looks at. */
  schedulesSince(since: Date): Promise<string[]>;
  /** The schedule's tickets issued since then, oldest first, with their admission and retirement. */
  ticketsOf(scheduleId: string, since: Date): Promise<RecordedTicket[]>;
  totalsOf(scheduleId: string): Promise<RecordTotals>;
}

/**
 * The live waiting rooms (Redis). Every method is one atomic step against one clock (the
 * store's own), so any number of queue processes may call any of them at the same time.
 */
export interface WaitingRoom {
  /**
   * Idempotent per (user, schedule): the fan's live ticket if they have one, else a new one:
   * into the pre-queue before opening (and until the opening draw is complete), else at the end
   * of the line. A fan whose ticket has expired gets a new one at the back. While the catalog has
   * closed the schedule's sales nobody gets a new ticket (SalesClosed); a live one is returned.
   */
  enter(request: EnterRequest): Promise<EnterOutcome>;
  /**
   * Records a change of the schedule's sale from the catalog's events (opening time, closed or
   * not), unless a change of the same or a later stream version is there already. False then.
   */
  applySaleWindow(change: SaleWindowChange): Promise<boolean>;
  read(scheduleId: string, ticketId: string): Promise<TicketRead | null>;
  /** The ticket without its line, for the admission check on every hold: a fraction of read's work. */
  readTicket(scheduleId: string, ticketId: string): Promise<Omit<TicketRead, 'line'> | null>;
  /** Whose ticket this is, if it exists: tells a shared token from a forged one. */
  ownerOf(scheduleId: string, ticketId: string): Promise<string | null>;
  counts(scheduleId: string): Promise<LiveCounts>;
  /** Schedules with a waiting room that may need admission ticks. */
  liveSchedules(): Promise<string[]>;
  /** Drops a schedule from the live set unless someone entered it since `idleSince`. */
  forgetIfIdleSince(scheduleId: string, idleSince: Date): Promise<void>;
  /**
   * Expires ACTIVE tickets past their time, then admits the lowest queue numbers as the
   * schedule's policy allows (rate through a token bucket, cap on ACTIVE tickets, paused).
   */
  admit(scheduleId: string, settings: AdmissionSettings): Promise<AdmissionTick>;
  /** Lets admit() admit: call only after the catalog answered that the schedule's prices are frozen. */
  markPricesFrozen(scheduleId: string): Promise<void>;
  /** Everyone still in the pre-queue, in no particular order. */
  preQueue(scheduleId: string): Promise<string[]>;
  /**
   * Gives the next queue numbers, in this order, to those of `ticketIds` still in the pre-queue
   * (each exactly once, however many callers draw at once) and marks the line open once the
   * pre-queue is empty. NotDue before `bookingOpensAt` by the store's clock.
   */
  draw(scheduleId: string, ticketIds: readonly string[]): Promise<DrawResult>;
  /**
   * Puts back what Redis lost of the schedule's waiting room from the durable record; only fills
   * in or moves tickets forward (WAITING → ACTIVE → EXPIRED), so it is safe to run any time, twice,
   * or from two processes at once. Counters only go up: no queue number is ever given twice.
   */
  restore(scheduleId: string, tickets: readonly RecordedTicket[], record: RecordTotals): Promise<RestoreResult>;
  /** The opening time, unless the waiting room has one (the catalog's events are newer than any read). */
  restoreOpensAt(scheduleId: string, opensAt: Date): Promise<void>;
  /** Makes the admission steps use this policy; an older version never overwrites a newer one. */
  applyPolicy(policy: AdmissionPolicy): Promise<void>;
  /**
   * Retires the fan's ACTIVE ticket (its booking is confirmed): EXPIRED from now on, and its
   * ACTIVE slot free for the next admission step. Idempotent: a retired ticket answers Retired
   * again with `alreadyRetired`; a ticket that is unknown, someone else's, WAITING or already
   * past its time is left alone.
   */
  retire(request: RetireRequest): Promise<RetireOutcome>;
}

export interface RetireRequest {
  scheduleId: string;
  ticketId: string;
  /** The booking's owner: a ticket of anyone else is not retired. */
  userId: string;
}

export type RetireOutcome =
  | { kind: 'Retired'; queueNumber: number; retiredAt: Date; alreadyRetired: boolean }
  | { kind: 'NotRetired'; reason: 'UNKNOWN' | 'OTHER_USER' | 'NOT_ACTIVE' };

/** The waiting room's heartbeat to the gateway's subscriptions. */
export interface ProgressPublisher {
  publish(progress: QueueProgress): Promise<void>;
}

/** A single ticket's change outside the tick (retired), for the gateway's subscriptions. */
export interface TicketChangePublisher {
  publish(change: QueueTicketChanged): Promise<void>;
}

/** The queue's own database outbox, for events whose state change lives in Redis. */
export interface EventOutbox {
  /**
   * Writes the envelopes in one INSERT, skipping any whose eventId is already there: a retry
   * after a lost acknowledgement must not fail on, or duplicate, what did commit.
   */
  append(envelopes: readonly EventEnvelope[]): Promise<void>;
}

/** The events of ticket streams, inside the caller's transaction (the inbox consumer's). */
export interface TicketEventLog {
  /** Appends the events whose position in their ticket's stream is still free; the others are already written. */
  appendUnlessWritten(envelopes: readonly EventEnvelope[]): Promise<void>;
}
