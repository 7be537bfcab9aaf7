import type { Pool } from 'pg';
import type { RecordedTicket, TicketRecord } from '../../application/ports';

interface RecordedRow {
  ticket_id: string;
  user_id: string;
  entered_at: Date;
  queue_number: number | null;
  admitted_at: string | null;
  expires_at: string | null;
  retired_at: string | null;
}

const dateOrNull = (iso: string | null) => (iso === null ? null : new Date(iso));

/**
 * `queue_tickets` on plain pg, and the outbox's FanAdmitted (stream version 0) and TicketRetired
 * (version 1) of each ticket, found by the outbox's unique (aggregate_type, aggregate_id,
 * streamVersion) index: the queue's outbox rows are kept once published, so they are the record
 * of who was admitted and retired.
 */
export function createPgTicketRecord(pool: Pool): TicketRecord {
  return {
    async issued({ ticketId, scheduleId, userId, enteredAt, queueNumber }) {
      // No conflict target: a fan entering from many tabs at once records the same ticket (and
      // number) many times at once, and ON CONFLICT with a target handles only that index: the
      // number's unique index would fail the others (PostgreSQL checks non-arbiter indexes as a
      // plain insert does). Without one, every unique index is an arbiter.
      const inserted = await pool.query(
        `INSERT INTO queue_tickets (ticket_id, schedule_id, user_id, entered_at, queue_number)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
        [ticketId, scheduleId, userId, enteredAt, queueNumber],
      );
      if (inserted.rowCount === 1) return;
      // Nothing inserted: the ticket is recorded already (another tab, a retry), or its number is
      // another ticket's, which would be a number given twice: refused, never silently dropped.
      const { rows } = await pool.query<{ queue_number: number | null }>('SELECT queue_number FROM queue_tickets WHERE ticket_id = $1', [ticketId]);
      if (rows.length === 0) throw new Error(`queue number ${queueNumber} of schedule ${scheduleId} is recorded for another ticket`);
      if (rows[0]!.queue_number === null && queueNumber !== null) {
        await pool.query('UPDATE queue_tickets SET queue_number = $2 WHERE ticket_id = $1 AND queue_number IS NULL', [ticketId, queueNumber]);
      }
    },

    async numbered(scheduleId, tickets) {
      if (tickets.length === 0) return;
      await pool.query(
        `UPDATE queue_tickets t SET queue_number = d.queue_number
           FROM unnest($2::uuid[], $3::int[]) AS d(ticket_id, queue_number)
          WHERE t.ticket_id = d.ticket_id AND t.schedule_id = $1 AND t.queue_number IS NULL`,
        [scheduleId, tickets.map((t) => t.ticketId), tickets.map((t) => t.queueNumber)],
      );
    },

    async schedulesSince(since) {
      const { rows } = await pool.query<{ schedule_id: string }>('SELECT DISTINCT schedule_id FROM queue_tickets WHERE entered_at >= $1', [since]);
      return rows.map((row) => row.schedule_id);
    },

    async ticketsOf(scheduleId, since): Promise<RecordedTicket[]> {
      const { rows } = await pool.query<RecordedRow>(
        `SELECT t.ticket_id, t.user_id, t.entered_at,
                COALESCE(t.queue_number, (a.payload->'payload'->>'queueNumber')::int) AS queue_number,
                a.payload->'payload'->>'admittedAt' AS admitted_at,
                a.payload->'payload'->>'expiresAt' AS expires_at,
                r.payload->'payload'->>'retiredAt' AS retired_at
           FROM queue_tickets t
           LEFT JOIN outbox a ON a.aggregate_type = 'queue-ticket' AND a.aggregate_id = t.ticket_id::text AND (a.payload->>'streamVersion')::int = 0
           LEFT JOIN outbox r ON r.aggregate_type = 'queue-ticket' AND r.aggregate_id = t.ticket_id::text AND (r.payload->>'streamVersion')::int = 1
          WHERE t.schedule_id = $1 AND t.entered_at >= $2
          ORDER BY t.entered_at, t.ticket_id`,
        [scheduleId, since],
      );
      return rows.map((row) => ({
        ticketId: row.ticket_id,
        userId: row.user_id,
        enteredAt: row.entered_at,
        queueNumber: row.queue_number,
        admittedAt: dateOrNull(row.admitted_at),
        expiresAt: dateOrNull(row.expires_at),
        retiredAt: dateOrNull(row.retired_at),
      }));
    },

    async totalsOf(scheduleId) {
      const { rows } = await pool.query<{ admitted: string; highest: number | null }>(
        `SELECT (SELECT count(*) FROM outbox WHERE aggregate_type = 'queue-ticket' AND event_type = 'FanAdmitted' AND payload->'payload'->>'scheduleId' = $1) AS admitted,
                (SELECT max(queue_number) FROM queue_tickets WHERE schedule_id = $1::uuid) AS highest`,
        [scheduleId],
      );
      return { admittedTotal: Number(rows[0]?.admitted ?? 0), highestNumber: rows[0]?.highest ?? 0 };
    },
  };
}
