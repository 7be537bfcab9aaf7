import { z } from 'zod';
import { envelopeSchema, type EventEnvelope } from '@ticketing/contracts';

/**
 * An event as the store returns it: the envelope as it travelled, plus where and when the store
 * recorded it. `globalPosition` is unique and increasing but not gapless (see ADR 0007).
 */
export interface StoredEvent<TType extends string = string, TPayload = Record<string, unknown>> extends EventEnvelope<TType, TPayload> {
  globalPosition: number;
  /** ISO-8601, the store's clock when the append happened (occurredAt is the producer's). */
  recordedAt: string;
}

/**
 * The document in `events`: the envelope's fields untouched, `globalPosition` as a BSON integer
 * (sorts numerically on both servers; exact up to 2^53, far beyond any event count) and
 * `recordedAt` as a BSON date.
 */
export interface EventDocument extends EventEnvelope<string, Record<string, unknown>> {
  globalPosition: number;
  recordedAt: Date;
}

/** Reading is an edge too: a document that is not an envelope is a bug or corruption, named by position. */
export const eventDocumentSchema = envelopeSchema.extend({
  globalPosition: z.int().min(1),
  recordedAt: z.date(),
});

export function toStoredEvent(document: unknown): StoredEvent {
  const parsed = eventDocumentSchema.safeParse(document);
  if (!parsed.success) {
    const position = (document as { globalPosition?: unknown } | null)?.globalPosition;
    throw new Error(`event store document at position ${String(position)} is not an event: ${parsed.error.message}`);
  }
  const { recordedAt, ...rest } = parsed.data;
  return { ...rest, recordedAt: recordedAt.toISOString() };
}

/**
 * The stored event of a document this process built (toEventDocument) from an envelope it had
 * checked: what toStoredEvent would answer for it, without checking again. The envelope's own
 * fields only, as the schema's parse keeps them (a field a newer producer added is stored, not read).
 */
export function storedEventOfChecked(document: EventDocument): StoredEvent {
  const { eventId, type, schemaVersion, stream, streamVersion, occurredAt, correlationId, causationId, payload, globalPosition, recordedAt } = document;
  return { eventId, type, schemaVersion, stream: { type: stream.type, id: stream.id }, streamVersion, occurredAt, correlationId, causationId, payload, globalPosition, recordedAt: recordedAt.toISOString() };
}

export function toEventDocument(event: EventEnvelope, globalPosition: number, recordedAt: Date): EventDocument {
  // Spread first: the envelope travels as it is (fields a newer producer added included), and the
  // store's own fields always win over anything the envelope might carry under the same names.
  const { _id: _ignored, ...envelope } = event as EventEnvelope & { _id?: unknown };
  return { ...(envelope as EventEnvelope<string, Record<string, unknown>>), globalPosition, recordedAt };
}
