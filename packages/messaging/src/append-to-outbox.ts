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
 * The outbox insert, for a statement of the caller's own: the envelopes come from six array
 * parameters numbered from `first` (in outboxParameters' order). `from` joins another row source
 * (a CTE of the caller's, say: a row per row it yields), `payload` rewrites the envelope's
 * expression (a value the same statement drew, set into it). `ownerIs`, an expression of `from`'s
 * rows, pairs each envelope with one of them: a seventh parameter (outboxParameters' `owners`)
 * names each envelope's, and an envelope goes in once, with its owner, if that row exists (a
 * statement writing several steps, each with its own events). `position` is drawn in the order
 * given, which is the order the relay publishes them.
 */
export function outboxInsertSql(first: number, options: { from?: string; payload?: (envelope: string) => string; ownerIs?: string } = {}): string {
  const [id, type, aggregate, event, payload, headers, owner] = [0, 1, 2, 3, 4, 5, 6].map((i) => `$${first + i}`);
  const owned = options.ownerIs !== undefined;
  return `INSERT INTO outbox (id, aggregate_type, aggregate_id, event_type, payload, headers)
     SELECT e.id, e.aggregate_type, e.aggregate_id, e.event_type, ${options.payload ? options.payload('e.payload') : 'e.payload'}, e.headers
       FROM ${options.from ? `${options.from}, ` : ''}unnest(${id}::uuid[], ${type}::text[], ${aggregate}::text[], ${event}::text[], ${payload}::jsonb[], ${headers}::jsonb[]${owned ? `, ${owner}::int[]` : ''})
            WITH ORDINALITY AS e(id, aggregate_type, aggregate_id, event_type, payload, headers${owned ? ', owner' : ''}, n)${owned ? `
      WHERE e.owner = ${options.ownerIs}` : ''}
      ORDER BY e.n`;
}

/**
 * outboxInsertSql's six parameters for these envelopes, with the trace context of the caller;
 * seven with `owners` (for `ownerIs`): the owning row of each envelope, in the same order.
 */
export function outboxParameters(envelopes: readonly EventEnvelope[], owners?: readonly number[]): unknown[] {
  if (owners && owners.length !== envelopes.length) throw new Error(`${owners.length} owners for ${envelopes.length} envelopes`);
  const traceContext = traceContextHeaders();
  return [
    envelopes.map((e) => e.eventId),
    envelopes.map((e) => e.stream.type),
    envelopes.map((e) => e.stream.id),
    envelopes.map((e) => e.type),
    envelopes.map((e) => JSON.stringify(e)),
    envelopes.map((e) => JSON.stringify(headersOf(e, traceContext))),
    ...(owners ? [owners] : []),
  ];
}

/**
 * The only writer of outbox rows: the envelopes of one state change, inserted on the caller's
 * transaction (so they commit with the change or not at all) in one statement, whatever their
 * number. The table is the one the relay reads (see outbox-relay.ts): the envelope is the JSONB
 * payload. A writer that folds the insert into a statement of its own uses outboxInsertSql.
 */
export async function appendToOutbox(tx: Pick<ClientBase, 'query'>, envelopes: readonly EventEnvelope[]): Promise<void> {
  if (envelopes.length === 0) return;
  await tx.query(outboxInsertSql(1), outboxParameters(envelopes));
}

/**
 * appendToOutbox for events that may already have been written by an earlier attempt under other
 * ids (a redelivered reaction that draws fresh ids): an envelope whose stream position is taken
 * is skipped, by the outbox's unique (aggregate_type, aggregate_id, streamVersion) index, in the
 * same one statement instead of a read first. Only for an outbox with that index (user, concert,
 * queue, payment; booking orders its streams by the booking row's version instead).
 */
export async function appendToOutboxUnlessWritten(tx: Pick<ClientBase, 'query'>, envelopes: readonly EventEnvelope[]): Promise<void> {
  if (envelopes.length === 0) return;
  await tx.query(`${outboxInsertSql(1)}\n     ON CONFLICT (aggregate_type, aggregate_id, ((payload->>'streamVersion')::int)) DO NOTHING`, outboxParameters(envelopes));
}
