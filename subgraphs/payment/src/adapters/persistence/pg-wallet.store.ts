import type { Pool, PoolClient } from 'pg';
import { z } from 'zod';
import { appendToOutbox } from '@ticketing/messaging';
import type { TransactionOutcome, WalletStore, WalletTransaction } from '../../application/ports';
import { creditWallet } from './pg-wallet.ledger';
import { queryableUuids } from './uuid';

const storedResponseSchema = z.object({ balance: z.number().int().nonnegative() });

function transactionalWrites(tx: PoolClient): WalletTransaction {
  return {
    async claimIdempotencyKey(userId, key, request) {
      // READ COMMITTED: if another open transaction inserted this key, the INSERT waits on the
      // primary key until that one ends, then conflicts (it committed) or goes through (it rolled back).
      const claimed = await tx.query(
        `INSERT INTO idempotency_keys (user_id, key, operation, request_fingerprint)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (user_id, key) DO NOTHING`,
        [userId, key, request.operation, request.fingerprint],
      );
      return claimed.rowCount === 1;
    },

    async findIdempotencyKey(userId, key) {
      // A fresh statement gets a fresh snapshot, so the row committed by the blocking claimant is visible.
      const { rows } = await tx.query<{ operation: string; request_fingerprint: string; response: unknown }>(
        'SELECT operation, request_fingerprint, response FROM idempotency_keys WHERE user_id = $1 AND key = $2',
        [userId, key],
      );
      const row = rows[0];
      if (!row) return null;
      return { operation: row.operation, fingerprint: row.request_fingerprint, response: storedResponseSchema.parse(row.response) };
    },

    credit: (credit) => creditWallet(tx, credit),

    async storeResponse(userId, key, response) {
      await tx.query('UPDATE idempotency_keys SET response = $3::jsonb WHERE user_id = $1 AND key = $2', [userId, key, JSON.stringify(response)]);
    },

    appendToOutbox: (envelopes) => appendToOutbox(tx, envelopes),
  };
}

/**
 * Wallets on plain pg, like the payment reactions: the charge's outbox row must share its
 * transaction, and the one outbox writer takes a pg client.
 */
export function createPgWalletStore(pool: Pool): WalletStore {
  return {
    async findBalances(userIds) {
      const ids = queryableUuids(userIds);
      if (ids.length === 0) return new Map();
      const { rows } = await pool.query<{ user_id: string; balance: number }>('SELECT user_id, balance FROM wallets WHERE user_id = ANY($1::uuid[])', [ids]);
      // PostgreSQL answers UUIDs in lower case; key the answer by the ids as they were asked for.
      const balances = new Map(rows.map((row) => [row.user_id, row.balance]));
      return new Map(
        [...new Set(userIds)].flatMap((id) => {
          const balance = balances.get(id.toLowerCase());
          return balance === undefined ? [] : [[id, balance] as const];
        }),
      );
    },

    async transaction<T>(work: (tx: WalletTransaction) => Promise<TransactionOutcome<T>>): Promise<T> {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const outcome = await work(transactionalWrites(client));
        // `rollback` still answers: the refusal is a value, but none of its writes may stay.
        await client.query('rollback' in outcome ? 'ROLLBACK' : 'COMMIT');
        return 'rollback' in outcome ? outcome.rollback : outcome.commit;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
  };
}
