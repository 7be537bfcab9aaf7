import { createEvent, type EventEnvelope, type EventPayload, type EventType } from '@ticketing/contracts';

/** An event as a decider returns it: what happened, before any metadata is known. */
export type DomainEvent = { [T in EventType]: { type: T; payload: EventPayload<T> } }[EventType];

export interface StampContext {
  /** The aggregate's id; the stream type (and topic) comes from the event catalogue. */
  streamId: string;
  /**
   * The stream version of the first event; the rest follow it without gaps. It is the
   * aggregate's version after that event, so the event store can fence (stream, version).
   */
  fromVersion: number;
  correlationId: string;
  /** The message that directly caused these events: an eventId, a request id, or null. */
  causationId: string | null;
  now: Date;
  /** Event ids; injected by tests, random UUIDs otherwise. */
  newId: () => string;
}

/**
 * Puts a decider's events into their envelopes: the one place metadata is stamped, for every
 * producer. Each payload is checked against its contract here (contracts' `createEvent`), so
 * a producer bug throws before anything reaches the outbox.
 */
export function stampEnvelopes(events: readonly DomainEvent[], context: StampContext): EventEnvelope[] {
  return events.map((event, index) =>
    createEvent(event.type, event.payload, {
      eventId: context.newId(),
      streamId: context.streamId,
      streamVersion: context.fromVersion + index,
      now: context.now,
      correlationId: context.correlationId,
      causationId: context.causationId,
    }),
  );
}
