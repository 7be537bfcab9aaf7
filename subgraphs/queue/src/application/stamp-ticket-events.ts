import type { EventEnvelope } from '@ticketing/contracts';
import { stampEnvelopes } from '@ticketing/messaging';
import type { TicketEvent } from '../domain/queue-events';

/** Envelopes for events of several ticket streams, each at its fixed position in its own stream. */
export function stampTicketEvents(
  events: readonly TicketEvent[],
  context: { now: Date; correlationId: (ticketId: string) => string; causationId: string | null; newId: () => string },
): EventEnvelope[] {
  return events.flatMap(({ ticketId, streamVersion, event }) =>
    stampEnvelopes([event], {
      streamId: ticketId,
      fromVersion: streamVersion,
      correlationId: context.correlationId(ticketId),
      causationId: context.causationId,
      now: context.now,
      newId: context.newId,
    }),
  );
}
