import type { Pool } from 'pg';
import { appendToOutbox } from '@ticketing/messaging';
import type { AdmissionPolicy, PolicySettings } from '../../domain/admission-policy';
import type { AdmissionPolicyStore } from '../../application/ports';

export const POLICY_CHANGED = 'POLICY_CHANGED';

interface PolicyRow extends PolicySettings {
  scheduleId: string;
  updatedAt: Date;
  eventVersion: number;
}

const COLUMNS = `schedule_id AS "scheduleId", admits_per_second AS "admitsPerSecond", max_active AS "maxActive", paused,
                 updated_at AS "updatedAt", event_version AS "eventVersion"`;

const toPolicy = (row: PolicyRow): AdmissionPolicy => ({
  scheduleId: row.scheduleId,
  admitsPerSecond: row.admitsPerSecond,
  maxActive: row.maxActive,
  paused: row.paused,
  updatedAt: row.updatedAt,
});

/**
 * Policies, their audit and their events on plain pg, so the change, its audit row and its
 * outbox rows share one transaction through messaging's `appendToOutbox`.
 */
export function createPgAdmissionPolicyStore(pool: Pool, onEventsWritten: () => void = () => undefined): AdmissionPolicyStore {
  return {
    async find(scheduleId) {
      const { rows } = await pool.query<PolicyRow>(`SELECT ${COLUMNS} FROM admission_policies WHERE schedule_id = $1::uuid`, [scheduleId]);
      return rows[0] ? toPolicy(rows[0]) : null;
    },
    async update(scheduleId, { defaults, decide, stamp, actor }) {
      const client = await pool.connect();
      let wroteEvents = false;
      try {
        await client.query('BEGIN');
        // Materialise the defaults first so there is always a row to lock: two admins changing a
        // schedule that has no policy yet then serialise on it instead of racing two INSERTs.
        const created = await client.query(
          `INSERT INTO admission_policies (schedule_id, admits_per_second, max_active, paused, updated_by)
           VALUES ($1::uuid, $2, $3, $4, $5::uuid) ON CONFLICT (schedule_id) DO NOTHING`,
          [scheduleId, defaults.admitsPerSecond, defaults.maxActive, defaults.paused, actor],
        );
        const { rows } = await client.query<PolicyRow>(`SELECT ${COLUMNS} FROM admission_policies WHERE schedule_id = $1::uuid FOR UPDATE`, [scheduleId]);
        const current = rows[0];
        if (!current) throw new Error(`admission policy ${scheduleId} vanished inside its transaction`);
        const before: PolicySettings = { admitsPerSecond: current.admitsPerSecond, maxActive: current.maxActive, paused: current.paused };
        const { settings: after, events } = decide(before);
        // The lock held since the SELECT makes event_version the stream's true length: no gaps, no twins.
        const { rows: updated } = await client.query<PolicyRow>(
          `UPDATE admission_policies
              SET admits_per_second = $2, max_active = $3, paused = $4, updated_by = $5::uuid,
                  updated_at = now(), event_version = event_version + $6
            WHERE schedule_id = $1::uuid
        RETURNING ${COLUMNS}`,
          [scheduleId, after.admitsPerSecond, after.maxActive, after.paused, actor, events.length],
        );
        // Stamped after the lock, not at transaction start, so the audit's order is the order changes applied.
        await client.query(`INSERT INTO admission_audit (schedule_id, action, actor, detail, at) VALUES ($1::uuid, $2, $3, $4::jsonb, $5)`, [
          scheduleId,
          POLICY_CHANGED,
          actor,
          JSON.stringify({ before: { ...before, source: created.rowCount === 1 ? 'defaults' : 'stored' }, after: { ...after } }),
          new Date(),
        ]);
        await appendToOutbox(client, stamp(events, current.eventVersion));
        await client.query('COMMIT');
        wroteEvents = events.length > 0;
        return toPolicy(updated[0]!);
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
        if (wroteEvents) onEventsWritten();
      }
    },
  };
}
