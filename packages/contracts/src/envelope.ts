import { z } from 'zod';
import { AGGREGATE_TYPES } from './topics';

/**
 * The envelope every event travels in (outbox → Kafka → inbox → event store). Metadata lives
 * here so consumers can dedupe (`eventId`), order (`stream` + `streamVersion`), trace
 * (`correlationId`, `causationId`) and pick the right payload schema (`type` + `schemaVersion`)
 * before they look at the payload.
 *
 * Parsing is a tolerant reader: unknown fields are dropped, not refused, so a producer may add
 * optional fields without breaking older consumers. Stores that must keep everything (the event
 * store, the dead-letter topic) persist the raw message, not the parsed value.
 */
/**
 * An aggregate's id inside a payload. Any UUID PostgreSQL stores (`z.guid`, not the RFC-strict
 * `z.uuid`): ids come from other services' databases and seeds, and a valid row must never be
 * parked as poison because its id has an unusual version nibble.
 */
export const entityIdSchema = z.guid();

export const streamSchema = z.object({
  type: z.enum(AGGREGATE_TYPES),
  id: z.string().min(1).max(200),
});
export type StreamRef = z.infer<typeof streamSchema>;

export const envelopeSchema = z.object({
  eventId: z.uuid(),
  type: z.string().min(1).max(100),
  schemaVersion: z.int().min(1),
  stream: streamSchema,
  /** Position of this event in its stream: the aggregate's version after the change, from 0. */
  streamVersion: z.int().min(0),
  occurredAt: z.iso.datetime({ offset: true }),
  /** The request (or first event) that started the chain; request ids are not always UUIDs. */
  correlationId: z.string().min(1).max(200),
  /** The message that directly caused this one: an eventId, a request id, or null. */
  causationId: z.string().min(1).max(200).nullable(),
  /** Always a JSON object, so a payload can gain optional fields without a new version. */
  payload: z.record(z.string(), z.unknown()),
});

export interface EventEnvelope<TType extends string = string, TPayload = unknown> {
  eventId: string;
  type: TType;
  schemaVersion: number;
  stream: StreamRef;
  streamVersion: number;
  occurredAt: string;
  correlationId: string;
  causationId: string | null;
  payload: TPayload;
}

export interface EnvelopeInput<TType extends string, TPayload> {
  eventId: string;
  type: TType;
  schemaVersion: number;
  stream: StreamRef;
  streamVersion: number;
  /** Passed in, never read from a clock here, so producers and tests decide what time it is. */
  now: Date;
  correlationId: string;
  causationId?: string | null;
  payload: TPayload;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; reason: string };

/** One line naming every offending field, e.g. `eventId: Invalid UUID; stream.type: ...`. */
export function describeIssues(error: z.ZodError, prefix = ''): string {
  return error.issues
    .map((issue) => {
      const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

/**
 * The envelopes this process made or read and found to match `envelopeSchema` (createEnvelope,
 * parseEnvelope): checking one of them again would find what the first check did, and a consumer
 * that hands one on (the archiver to the event store) need not pay for the zod walk twice (issue
 * 10: history checked every archived envelope three times). Nothing here changes an envelope once
 * made, and nobody should: a changed one would keep its mark.
 */
const checkedEnvelopes = new WeakSet<object>();

/** True for an envelope createEnvelope made or parseEnvelope answered in this process. */
export function isCheckedEnvelope(value: unknown): value is EventEnvelope {
  return typeof value === 'object' && value !== null && checkedEnvelopes.has(value);
}

/**
 * Builds an envelope from explicit ids and time (no clock, no I/O; it marks the envelope
 * checked). A malformed envelope here is a producer bug, so it throws rather than letting the
 * outbox store something no consumer can read.
 */
export function createEnvelope<TType extends string, TPayload>(input: EnvelopeInput<TType, TPayload>): EventEnvelope<TType, TPayload> {
  const envelope = {
    eventId: input.eventId,
    type: input.type,
    schemaVersion: input.schemaVersion,
    stream: { type: input.stream.type, id: input.stream.id },
    streamVersion: input.streamVersion,
    occurredAt: input.now.toISOString(),
    correlationId: input.correlationId,
    causationId: input.causationId ?? null,
    payload: input.payload,
  };
  const checked = envelopeSchema.safeParse(envelope);
  if (!checked.success) throw new Error(`Invalid ${input.type} envelope: ${describeIssues(checked.error)}`);
  checkedEnvelopes.add(envelope);
  return envelope;
}

/**
 * Reads an envelope from a Kafka message value (Buffer/string of JSON) or an already decoded
 * object. Never throws: a consumer parks what it cannot read on the dead-letter topic with
 * `reason` instead of crashing its partition.
 */
export function parseEnvelope(raw: unknown): ParseResult<EventEnvelope> {
  let value = raw;
  if (typeof raw === 'string' || raw instanceof Uint8Array) {
    const text = typeof raw === 'string' ? raw : Buffer.from(raw).toString('utf8');
    try {
      value = JSON.parse(text) as unknown;
    } catch {
      return { ok: false, reason: 'message is not valid JSON' };
    }
  }
  const parsed = envelopeSchema.safeParse(value);
  if (!parsed.success) return { ok: false, reason: describeIssues(parsed.error) };
  checkedEnvelopes.add(parsed.data);
  return { ok: true, value: parsed.data };
}
