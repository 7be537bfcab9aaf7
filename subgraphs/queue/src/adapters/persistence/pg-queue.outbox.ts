import { inTransaction } from '@ticketing/platform';
import type { ClientBase, Pool } from 'pg';
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

/** Ticket stream events in the caller's transaction (the inbox consumer's). */
export function pgTicketEventLog(tx: ClientBase): TicketEventLog {
  return {
    appendUnlessWritten: (envelopes) => appendToOutboxUnlessWritten(tx, envelopes),
  };
}
