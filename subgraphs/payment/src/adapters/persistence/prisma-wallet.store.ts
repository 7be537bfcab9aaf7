import { z } from 'zod';
import { Prisma, type PrismaClient } from '../../../generated/prisma';
import type { TransactionOutcome, WalletStore, WalletTransaction } from '../../application/ports';
import { queryableUuids } from './uuid';

type TransactionClient = Prisma.TransactionClient;

const storedResponseSchema = z.object({ balance: z.number().int().nonnegative() });

/**
 * Interactive-transaction limits. Concurrent charges of one wallet queue on its row lock while
 * holding a pooled connection, so a burst waits longer than Prisma's defaults (2 s / 5 s) allow.
 */
const TRANSACTION_OPTIONS = {
  isolationLevel: Prisma.TransactionIsolationLevel.ReadCommitted,
  maxWait: 15_000,
  timeout: 15_000,
} as const;

/** Carries a `rollback` outcome out of Prisma's callback: throwing is how Prisma rolls back. */
class Rollback<T> {
  constructor(readonly value: T) {}
}

function transactionalWrites(tx: TransactionClient): WalletTransaction {
  return {
    async claimIdempotencyKey(userId, key, request) {
      // READ COMMITTED: if another open transaction inserted this key, the INSERT waits on the
      // primary key until that one ends, then conflicts (it committed) or goes through (it rolled back).
      const claimed = await tx.$queryRaw<unknown[]>`
        INSERT INTO idempotency_keys (user_id, key, operation, request_fingerprint)
        VALUES (${userId}::uuid, ${key}, ${request.operation}, ${request.fingerprint})
        ON CONFLICT (user_id, key) DO NOTHING
        RETURNING 1 AS claimed`;
      return claimed.length === 1;
    },

    async findIdempotencyKey(userId, key) {
      // A fresh statement gets a fresh snapshot, so the row committed by the blocking claimant is visible.
      const [row] = await tx.$queryRaw<Array<{ operation: string; request_fingerprint: string; response: unknown }>>`
        SELECT operation, request_fingerprint, response
        FROM idempotency_keys
        WHERE user_id = ${userId}::uuid AND key = ${key}`;
      if (!row) return null;
      return {
        operation: row.operation,
        fingerprint: row.request_fingerprint,
        response: storedResponseSchema.parse(row.response),
      };
    },

    async credit({ userId, amount, kind, reference, maxBalance }) {
      // One statement: creates the wallet on the first credit, otherwise adds to it under the row
      // lock that ON CONFLICT DO UPDATE takes. Concurrent credits of one wallet queue on that lock
      // and each re-checks the limit against the balance the previous one committed, so none is
      // lost and the limit holds. No row (limit reached) means no ledger entry either.
      const [entry] = await tx.$queryRaw<Array<{ balance_after: number }>>`
        WITH credited AS (
          INSERT INTO wallets AS w (user_id, balance, version, updated_at)
          VALUES (${userId}::uuid, ${amount}::int, 1, now())
          ON CONFLICT (user_id) DO UPDATE
            SET balance = w.balance + EXCLUDED.balance, version = w.version + 1, updated_at = now()
            WHERE w.balance + EXCLUDED.balance <= ${maxBalance}::int
          RETURNING balance
        )
        INSERT INTO ledger_entries (user_id, kind, amount, balance_after, reference)
        SELECT ${userId}::uuid, ${kind}::"LedgerEntryKind", ${amount}::int, balance, ${reference}
        FROM credited
        RETURNING balance_after`;
      return entry ? entry.balance_after : null;
    },

    async storeResponse(userId, key, response) {
      await tx.$executeRaw`
        UPDATE idempotency_keys SET response = ${JSON.stringify(response)}::jsonb
        WHERE user_id = ${userId}::uuid AND key = ${key}`;
    },
  };
}

export function createPrismaWalletStore(prisma: PrismaClient): WalletStore {
  return {
    async findBalances(userIds) {
      const ids = queryableUuids(userIds);
      if (ids.length === 0) return new Map();
      const rows = await prisma.wallet.findMany({ where: { userId: { in: ids } }, select: { userId: true, balance: true } });
      // PostgreSQL answers UUIDs in lower case; key the answer by the ids as they were asked for.
      const balances = new Map(rows.map((row) => [row.userId, row.balance]));
      return new Map([...new Set(userIds)].flatMap((id) => {
        const balance = balances.get(id.toLowerCase());
        return balance === undefined ? [] : [[id, balance] as const];
      }));
    },

    async transaction<T>(work: (tx: WalletTransaction) => Promise<TransactionOutcome<T>>): Promise<T> {
      try {
        return await prisma.$transaction(async (tx) => {
          const outcome = await work(transactionalWrites(tx));
          if ('rollback' in outcome) throw new Rollback(outcome.rollback);
          return outcome.commit;
        }, TRANSACTION_OPTIONS);
      } catch (error) {
        if (error instanceof Rollback) return error.value as T;
        throw error;
      }
    },
  };
}
