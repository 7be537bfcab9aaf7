import { inTransaction } from '@ticketing/platform';
import type { Pool, PoolClient } from 'pg';
import { appendToOutbox } from '@ticketing/messaging';
import type { StoredUser, UserStore, UserTransaction } from '../../application/ports';
import type { Role } from '../../domain/user';
import type { EmailVault } from '../security/email-vault';

interface UserRow {
  id: string;
  email_encrypted: string;
  name: string;
  role: Role;
  password_hash: string;
  locked: boolean;
  locked_reason: string | null;
  created_at: Date;
}

const COLUMNS = 'id, email_encrypted, name, role, password_hash, locked, locked_reason, created_at';
/** One key for "the set of admins" in this database: the last-admin rule counts under it. */
const ADMINS_LOCK = "hashtext('user:admins')";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Accounts on plain pg, one client for the database: an account's outbox rows must share its
 * transaction, and the one outbox writer (`appendToOutbox`) takes a pg client.
 */
export function createPgUserStore(pool: Pool, vault: EmailVault): UserStore {
  const toUser = (row: UserRow): StoredUser => ({
    id: row.id,
    email: vault.decrypt(row.email_encrypted),
    name: row.name,
    role: row.role,
    locked: row.locked,
    lockedReason: row.locked_reason,
    passwordHash: row.password_hash,
  });
  const withoutSecret = (row: UserRow) => {
    const { passwordHash: _secret, ...user } = toUser(row);
    return user;
  };

  const transactionOn = (client: PoolClient): UserTransaction => ({
    async insert({ id, email, name, role, passwordHash, createdAt }) {
      // ON CONFLICT keeps the transaction usable (a unique violation would abort it); a concurrent
      // insert of the same e-mail makes this wait for that one, then conflict if it committed.
      const { rows } = await client.query<UserRow>(
        `INSERT INTO users (id, email_index, email_encrypted, name, role, password_hash, created_at, version)
         VALUES ($1, $2, $3, $4, $5::"Role", $6, $7, 0)
         ON CONFLICT (email_index) DO NOTHING
         RETURNING ${COLUMNS}`,
        [id, vault.index(email), vault.encrypt(email), name, role, passwordHash, createdAt],
      );
      return rows[0] ? toUser(rows[0]) : 'EmailTaken';
    },

    async lockAccount(userId) {
      if (!UUID.test(userId)) return null;
      const { rows } = await client.query<{ id: string; role: Role; locked: boolean; version: number }>(
        'SELECT id, role, locked, version FROM users WHERE id = $1 FOR UPDATE',
        [userId],
      );
      return rows[0] ?? null;
    },

    async saveRole({ id, role, version }) {
      await client.query('UPDATE users SET role = $2::"Role", version = $3 WHERE id = $1', [id, role, version]);
    },

    async saveLock({ id, locked, version }, lock) {
      await client.query('UPDATE users SET locked = $2, locked_reason = $3, locked_at = $4, version = $5 WHERE id = $1', [
        id,
        locked,
        lock?.reason ?? null,
        lock?.at ?? null,
        version,
      ]);
    },

    async otherActiveAdmins(userId) {
      await client.query(`SELECT pg_advisory_xact_lock(${ADMINS_LOCK})`);
      // A statement after the lock sees every admin change committed before it (READ COMMITTED).
      const { rows } = await client.query<{ count: number }>(
        `SELECT count(*)::int AS count FROM users WHERE role = 'ADMIN' AND NOT locked AND id <> $1`,
        [userId],
      );
      return rows[0]?.count ?? 0;
    },

    appendToOutbox: (envelopes) => appendToOutbox(client, envelopes),
  });

  return {
    transaction: (work) => inTransaction(pool, (client) => work(transactionOn(client))),

    async findByEmail(email) {
      const { rows } = await pool.query<UserRow>(`SELECT ${COLUMNS} FROM users WHERE email_index = $1`, [vault.index(email)]);
      return rows[0] ? toUser(rows[0]) : null;
    },

    async findByIds(ids) {
      // A reference with an id that cannot be a UUID matches nothing; filtering it keeps one bad id from failing the batch.
      const wanted = [...new Set(ids.filter((id) => UUID.test(id)))];
      if (wanted.length === 0) return [];
      const { rows } = await pool.query<UserRow>(`SELECT ${COLUMNS} FROM users WHERE id = ANY($1::uuid[])`, [wanted]);
      return rows.map(withoutSecret);
    },

    async listPage({ email, first, after }) {
      const { rows } = await pool.query<UserRow>(
        `SELECT ${COLUMNS} FROM users
         WHERE ($1::text IS NULL OR email_index = $1)
           AND ($2::timestamptz IS NULL OR (created_at, id) > ($2::timestamptz, $3::uuid))
         ORDER BY created_at, id
         LIMIT $4`,
        [email === null ? null : vault.index(email), after?.createdAt ?? null, after?.id ?? null, first + 1],
      );
      return { users: rows.slice(0, first).map((row) => ({ ...withoutSecret(row), createdAt: row.created_at })), hasNextPage: rows.length > first };
    },
  };
}
