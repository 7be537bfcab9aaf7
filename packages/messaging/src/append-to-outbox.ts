import type { ClientBase } from 'pg';
import type { EventEnvelope } from '@ticketing/contracts';
import { CORRELATION_ID_HEADER, traceContextHeaders } from './message-tracing';

/**
 * Kafka headers of an event, so routing and tracing need not parse the value: its correlation
 * and causation ids, and the trace context of the request or handler that appended it
 * (`traceparent`/`tracestate`, when tracing is on), which the relay continues when it publishes.
 */
function headersOf(envelope: EventEnvelope, traceContext: Record<string, string>): Record<string, string> {
  return {
    ...traceContext,
    [CORRELATION_ID_HEADER]: envelope.correlationId,
    ...(envelope.causationId !== null && { 'causation-id': envelope.causationId }),
  };
}

/**
 * The only writer of outbox rows: the envelopes of one state change, inserted on the caller's
 * transaction (so they commit with the change or not at all) in one statement, whatever their
 * number. `position` is drawn in the order given, which is the order the relay publishes them.
 * The table is the one the relay reads (see outbox-relay.ts): the envelope is the JSONB payload.
 */
export async function appendToOutbox(tx: ClientBase, envelopes: readonly EventEnvelope[]): Promise<void> {
  if (envelopes.length === 0) return;
  const traceContext = traceContextHeaders();
  await tx.query(
    `INSERT INTO outbox (id, aggregate_type, aggregate_id, event_type, payload, headers)
     SELECT id, aggregate_type, aggregate_id, event_type, payload, headers
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::jsonb[], $6::jsonb[])
            WITH ORDINALITY AS e(id, aggregate_type, aggregate_id, event_type, payload, headers, n)
      ORDER BY n`,
    [
      envelopes.map((e) => e.eventId),
      envelopes.map((e) => e.stream.type),
      envelopes.map((e) => e.stream.id),
      envelopes.map((e) => e.type),
      envelopes.map((e) => JSON.stringify(e)),
      envelopes.map((e) => JSON.stringify(headersOf(e, traceContext))),
    ],
  );
}
