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
}

const COLUMNS = 'id, email_encrypted, name, role, password_hash';
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
    passwordHash: row.password_hash,
  });

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
      const { rows } = await client.query<{ id: string; role: Role; version: number }>('SELECT id, role, version FROM users WHERE id = $1 FOR UPDATE', [userId]);
      return rows[0] ?? null;
    },

    async saveRole({ id, role, version }) {
      await client.query('UPDATE users SET role = $2::"Role", version = $3 WHERE id = $1', [id, role, version]);
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
      return rows.map((row) => {
        const { passwordHash: _secret, ...user } = toUser(row);
        return user;
      });
    },
  };
}
