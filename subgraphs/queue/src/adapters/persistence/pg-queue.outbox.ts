import { inTransaction } from '@ticketing/platform';
import type { ClientBase, Pool } from 'pg';
import type { EventEnvelope } from '@ticketing/contracts';
import { appendToOutbox, appendToOutboxUnlessWritten } from '@ticketing/messaging';
import type { EventOutbox, TicketEventLog } from '../../application/ports';

/**
 * The admission worker's outbox writes: their state change already committed in Redis, so they
 * commit on their own. Ids already present are skipped, so a retry after a lost acknowledgement
 * neither fails on the primary key nor writes an event twice. `onWritten` wakes the relay.
 */
export function createPgEventOutbox(pool: Pool, onWritten: () => void = () => undefined): EventOutbox {
  return {
    async append(envelopes) {
      if (envelopes.length === 0) return;
      await inTransaction(pool, async (client) => {
        const { rows } = await client.query<{ id: string }>('SELECT id FROM outbox WHERE id = ANY($1::uuid[])', [envelopes.map((e) => e.eventId)]);
        const written = new Set(rows.map((row) => row.id));
        await appendToOutbox(client, written.size === 0 ? envelopes : envelopes.filter((e) => !written.has(e.eventId)));
      });
      onWritten();
    },
  };
}

/**
 * A consumer transaction's ticket events, gathered from its handlers and written in one statement
 * before COMMIT (writeTicketEvents): a batch of retirements was an outbox insert each (issue 10).
 */
export interface TicketEventBatch {
  queued: EventEnvelope[];
}

/** Ticket stream events in the caller's transaction (the inbox consumer's); with a batch, gathered in it instead. */
export function pgTicketEventLog(tx: ClientBase, batch?: TicketEventBatch): TicketEventLog {
  return {
    async appendUnlessWritten(envelopes) {
      if (batch) batch.queued.push(...envelopes);
      else await appendToOutboxUnlessWritten(tx, envelopes);
    },
  };
}

/** The batch's gathered events, in the order they were appended, as one insert (each skipped if its stream position is taken). */
export async function writeTicketEvents(tx: ClientBase, batch: TicketEventBatch): Promise<void> {
  await appendToOutboxUnlessWritten(tx, batch.queued.splice(0));
}
