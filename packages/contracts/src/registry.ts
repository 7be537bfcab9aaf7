import type { z } from 'zod';
import {
  BookingCancelledV1,
  BookingConfirmedV1,
  BookingConfirmedV2,
  BookingExpiredV1,
  BookingRefundedV1,
  SeatsCompedV1,
  PaymentRequestedV1,
  RefundRequestedV1,
  SeatsHeldV1,
  upcastBookingConfirmedV1,
  type BookingEventType,
} from './booking';
import {
  ConcertChangedV1,
  ConcertCreatedV1,
  SalesClosedV1,
  SalesOpenedV1,
  ScheduleChangedV1,
  ScheduleCreatedV1,
  SeatsAddedV1,
  SectionPriceChangedV1,
  type ConcertEventType,
} from './concert';
import { SeatsBlockedV1, SeatsReleasedV1, type SeatBlockEventType } from './seat-block';
import { createEnvelope, describeIssues, parseEnvelope, type EventEnvelope, type ParseResult } from './envelope';
import {
  PaymentCompletedV1,
  PaymentFailedV1,
  PaymentRefundedV1,
  WalletChargedV1,
  WalletDebitedV1,
  WalletRefundedV1,
  type PaymentEventType,
  type WalletEventType,
} from './payment';
import { FanAdmittedV1, QueuePausedV1, QueuePolicyChangedV1, QueueResumedV1, TicketRetiredV1, type QueueEventType } from './queue';
import type { AggregateType } from './topics';
import { UserLockedV1, UserRegisteredV1, UserRoleChangedV1, UserUnlockedV1, type UserEventType } from './user';

type Payload = Record<string, unknown>;

export interface EventDefinition {
  /** The version producers write and consumers receive after upcasting. */
  schemaVersion: number;
  /** The aggregate type whose stream (and topic) carries the event. */
  stream: AggregateType;
  payload: z.ZodType<Payload>;
}

/**
 * An older version that can still be read: its schema, and an upcaster that turns a valid
 * payload of this version into the shape of the next one.
 */
export interface HistoricVersion {
  payload: z.ZodType<Payload>;
  upcast: (payload: Payload) => Payload;
}
export type HistoricVersions = Record<string, Record<number, HistoricVersion>>;

/**
 * The current version of every event the saga exchanges.
 *
 * Evolution rule: a payload change that old consumers can ignore (a new optional field, a
 * looser bound) is additive and keeps the version. Anything else (removing or renaming a
 * field, making one required, changing a type or a meaning) is a new schemaVersion: the new
 * schema goes here and the old one moves to HISTORIC with an upcaster to the new shape, so
 * consumers only ever handle the latest version while old events (Kafka retention, the event
 * store, dead-letter replays) stay readable. Consumers must deploy before producers emit a new version.
 */
export const EVENTS = {
  SeatsHeld: { schemaVersion: 1, stream: 'booking', payload: SeatsHeldV1 },
  PaymentRequested: { schemaVersion: 1, stream: 'booking', payload: PaymentRequestedV1 },
  BookingConfirmed: { schemaVersion: 2, stream: 'booking', payload: BookingConfirmedV2 },
  BookingCancelled: { schemaVersion: 1, stream: 'booking', payload: BookingCancelledV1 },
  BookingExpired: { schemaVersion: 1, stream: 'booking', payload: BookingExpiredV1 },
  RefundRequested: { schemaVersion: 1, stream: 'booking', payload: RefundRequestedV1 },
  BookingRefunded: { schemaVersion: 1, stream: 'booking', payload: BookingRefundedV1 },
  SeatsComped: { schemaVersion: 1, stream: 'booking', payload: SeatsCompedV1 },
  SeatsBlocked: { schemaVersion: 1, stream: 'seat-block', payload: SeatsBlockedV1 },
  SeatsReleased: { schemaVersion: 1, stream: 'seat-block', payload: SeatsReleasedV1 },
  PaymentCompleted: { schemaVersion: 1, stream: 'payment', payload: PaymentCompletedV1 },
  PaymentFailed: { schemaVersion: 1, stream: 'payment', payload: PaymentFailedV1 },
  PaymentRefunded: { schemaVersion: 1, stream: 'payment', payload: PaymentRefundedV1 },
  WalletCharged: { schemaVersion: 1, stream: 'wallet', payload: WalletChargedV1 },
  WalletDebited: { schemaVersion: 1, stream: 'wallet', payload: WalletDebitedV1 },
  WalletRefunded: { schemaVersion: 1, stream: 'wallet', payload: WalletRefundedV1 },
  UserRegistered: { schemaVersion: 1, stream: 'user', payload: UserRegisteredV1 },
  UserRoleChanged: { schemaVersion: 1, stream: 'user', payload: UserRoleChangedV1 },
  UserLocked: { schemaVersion: 1, stream: 'user', payload: UserLockedV1 },
  UserUnlocked: { schemaVersion: 1, stream: 'user', payload: UserUnlockedV1 },
  ConcertCreated: { schemaVersion: 1, stream: 'concert', payload: ConcertCreatedV1 },
  ConcertChanged: { schemaVersion: 1, stream: 'concert', payload: ConcertChangedV1 },
  ScheduleCreated: { schemaVersion: 1, stream: 'schedule', payload: ScheduleCreatedV1 },
  ScheduleChanged: { schemaVersion: 1, stream: 'schedule', payload: ScheduleChangedV1 },
  SeatsAdded: { schemaVersion: 1, stream: 'schedule', payload: SeatsAddedV1 },
  SectionPriceChanged: { schemaVersion: 1, stream: 'schedule', payload: SectionPriceChangedV1 },
  SalesClosed: { schemaVersion: 1, stream: 'schedule', payload: SalesClosedV1 },
  SalesOpened: { schemaVersion: 1, stream: 'schedule', payload: SalesOpenedV1 },
  FanAdmitted: { schemaVersion: 1, stream: 'queue-ticket', payload: FanAdmittedV1 },
  TicketRetired: { schemaVersion: 1, stream: 'queue-ticket', payload: TicketRetiredV1 },
  QueuePolicyChanged: { schemaVersion: 1, stream: 'queue', payload: QueuePolicyChangedV1 },
  QueuePaused: { schemaVersion: 1, stream: 'queue', payload: QueuePausedV1 },
  QueueResumed: { schemaVersion: 1, stream: 'queue', payload: QueueResumedV1 },
} as const satisfies Record<BookingEventType | SeatBlockEventType | PaymentEventType | WalletEventType | UserEventType | ConcertEventType | QueueEventType, EventDefinition>;

/**
 * A historic version whose upcaster is typed by its own schema: it only ever receives payloads
 * that schema accepted (both readers parse before they upcast), hence the one cast.
 */
export function historicVersion<TSchema extends z.ZodType<Payload>>(payload: TSchema, upcast: (old: z.infer<TSchema>) => Payload): HistoricVersion {
  return { payload, upcast: (old) => upcast(old as z.infer<TSchema>) };
}

/** Superseded versions by event type, then version: what each one was and how it lifts to the next. */
export const HISTORIC: HistoricVersions = {
  BookingConfirmed: { 1: historicVersion(BookingConfirmedV1, upcastBookingConfirmedV1) },
};

export type EventType = keyof typeof EVENTS;
export type EventPayload<T extends EventType> = z.infer<(typeof EVENTS)[T]['payload']>;

type EventOf<TEvents extends Record<string, EventDefinition>> = {
  [T in keyof TEvents & string]: EventEnvelope<T, z.infer<TEvents[T]['payload']>>;
}[keyof TEvents & string];

/** Any event of the catalogue, discriminated by `type` so a `switch` narrows the payload. */
export type KnownEvent = EventOf<typeof EVENTS>;

/**
 * Builds a reader for a catalogue: envelope, then (type, schemaVersion) → schema, upcasting
 * older versions step by step to the current one. Never throws; `reason` says what was wrong.
 */
export function createEventParser<TEvents extends Record<string, EventDefinition>>(events: TEvents, historic: HistoricVersions = {}) {
  return (raw: unknown): ParseResult<EventOf<TEvents>> => {
    const envelope = parseEnvelope(raw);
    if (!envelope.ok) return envelope;
    const { type, schemaVersion, stream } = envelope.value;
    // hasOwn: a type named "constructor" or "__proto__" must not reach Object.prototype.
    const definition = Object.hasOwn(events, type) ? events[type] : undefined;
    if (!definition) return { ok: false, reason: `unknown event type "${type}"` };
    if (stream.type !== definition.stream) {
      return { ok: false, reason: `${type} belongs to ${definition.stream} streams, not ${stream.type}` };
    }
    if (schemaVersion > definition.schemaVersion) {
      return { ok: false, reason: `${type} schemaVersion ${schemaVersion} is newer than this consumer reads (${definition.schemaVersion})` };
    }
    let payload: unknown = envelope.value.payload;
    for (let version = schemaVersion; version < definition.schemaVersion; version++) {
      const older = Object.hasOwn(historic, type) ? historic[type]?.[version] : undefined;
      if (!older) return { ok: false, reason: `${type} schemaVersion ${version} is no longer readable` };
      const parsed = older.payload.safeParse(payload);
      if (!parsed.success) return { ok: false, reason: describeIssues(parsed.error, `payload(v${version})`) };
      payload = older.upcast(parsed.data);
    }
    const parsed = definition.payload.safeParse(payload);
    if (!parsed.success) return { ok: false, reason: describeIssues(parsed.error, 'payload') };
    const event = { ...envelope.value, schemaVersion: definition.schemaVersion, payload: parsed.data };
    return { ok: true, value: event as EventOf<TEvents> };
  };
}

/** Reads any catalogue event from a Kafka message value or decoded object. */
export const parseEvent = createEventParser(EVENTS, HISTORIC);

export interface EventMetadata {
  eventId: string;
  /** The aggregate's id; the stream type comes from the catalogue. */
  streamId: string;
  streamVersion: number;
  now: Date;
  correlationId: string;
  causationId?: string | null;
}

/**
 * The producer side: an envelope at the current version with a checked payload. An invalid
 * payload is a bug in the producer, so this throws instead of writing it to the outbox.
 */
export function createEvent<T extends EventType>(type: T, payload: EventPayload<T>, meta: EventMetadata): EventEnvelope<T, EventPayload<T>> {
  const definition: EventDefinition = EVENTS[type];
  const checked = definition.payload.safeParse(payload);
  if (!checked.success) throw new Error(`Invalid ${type} payload: ${describeIssues(checked.error)}`);
  return createEnvelope({
    eventId: meta.eventId,
    type,
    schemaVersion: definition.schemaVersion,
    stream: { type: definition.stream, id: meta.streamId },
    streamVersion: meta.streamVersion,
    now: meta.now,
    correlationId: meta.correlationId,
    causationId: meta.causationId ?? null,
    payload: checked.data as EventPayload<T>,
  });
}

/**
 * A parser that reads only the given types (with their historic versions): a consumer of one
 * topic parks anything else as malformed, and its switch lists that topic's events, not the catalogue.
 */
export function createParserFor<const T extends EventType>(types: readonly T[]) {
  return createEventParser(Object.fromEntries(types.map((type) => [type, EVENTS[type]])) as Pick<typeof EVENTS, T>, HISTORIC);
}
