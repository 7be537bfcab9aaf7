import type { PoolClient } from 'pg';
import { appendToOutbox, outboxInsertSql, outboxParameters } from '@ticketing/messaging';
import type { PaymentTransaction } from '../../application/ports';
import type { Payment, PaymentStatus } from '../../domain/payment';
import { creditWallet, toEntry } from './pg-wallet.ledger';

interface PaymentRow {
  id: string;
  booking_id: string;
  user_id: string;
  amount: number;
  status: PaymentStatus;
  reason: string | null;
}

const toPayment = (row: PaymentRow): Payment => ({
  id: row.id,
  bookingId: row.booking_id,
  userId: row.user_id,
  amount: row.amount,
  status: row.status,
  reason: row.reason,
});

/**
 * A payment, its debit and its events as one statement (issue 10; it was three: the payment, the
 * debit, the outbox). `payment` goes in unless the booking has one (UNIQUE booking_id: then
 * nothing else is written either); `debited` takes $7 out of the wallet, only if there is a
 * payment, a debit ($7 > 0) and the balance covers it (conditional even under the caller's row
 * lock: if a caller ever skipped it the balance still cannot go below zero; the CHECK constraint
 * is the last fence); `entry` is the PAYMENT ledger
 * entry (stored negative; its unique reference refuses a second debit of the booking); the
 * outbox rows (the one outbox writer's outboxInsertSql) go in with the payment, and a
 * WalletDebited gets the drawn entry's id. A WalletDebited without an entry would be a null
 * payload, which the outbox refuses: the statement fails rather than publish a debit not made.
 */
const RECORD_PAYMENT = `
  WITH payment AS (
    INSERT INTO payments (id, booking_id, user_id, amount, status, reason)
    VALUES ($1, $2, $3, $4, $5::"PaymentStatus", $6)
    ON CONFLICT (booking_id) DO NOTHING
    RETURNING id),
  debited AS (
    UPDATE wallets SET balance = balance - $7::int, version = version + 1, updated_at = now()
     WHERE user_id = $3 AND $7::int > 0 AND balance >= $7::int AND EXISTS (SELECT 1 FROM payment)
     RETURNING balance, version),
  entry AS (
    INSERT INTO ledger_entries (user_id, kind, amount, balance_after, reference)
    SELECT $3, 'PAYMENT', -$7::int, balance, $8 FROM debited
    RETURNING id, balance_after),
  outbox AS (
    ${outboxInsertSql(9, {
      from: 'payment LEFT JOIN entry ON true',
      payload: (envelope) => `CASE WHEN ${envelope}->>'type' = 'WalletDebited' THEN jsonb_set(${envelope}, '{payload,ledgerEntryId}', to_jsonb(entry.id)) ELSE ${envelope} END`,
    })})
  SELECT (SELECT count(*) FROM payment)::int AS recorded, entry.id AS ledger_entry_id, entry.balance_after, debited.version AS wallet_version
    FROM (SELECT 1) AS one LEFT JOIN entry ON true LEFT JOIN debited ON true`;

/** A wallet as locked: a user without one has 0 at version 0 (see PaymentTransaction.lockWallet). */
type LockedWallet = { balance: number; version: number };
const NO_WALLET: LockedWallet = { balance: 0, version: 0 };

/** Wallets a consumer's transaction locked ahead (lockWallets), by user id: each is handed to one `lockWallet`, then forgotten. */
export type LockedWallets = Map<string, LockedWallet>;

/**
 * These users' wallets locked in one statement, in user order (so two transactions that lock
 * several never wait on each other in a circle), for a transaction that will debit each: what
 * each `lockWallet` would have read, in one round trip instead of one per payment (issue 10).
 */
export async function lockWallets(tx: Pick<PoolClient, 'query'>, userIds: readonly string[]): Promise<LockedWallets> {
  const locked: LockedWallets = new Map();
  if (userIds.length === 0) return locked;
  const ids = [...new Set(userIds.map((id) => id.toLowerCase()))];
  const { rows } = await tx.query<LockedWallet & { user_id: string }>('SELECT user_id::text, balance, version FROM wallets WHERE user_id = ANY($1::uuid[]) ORDER BY user_id FOR UPDATE', [ids]);
  for (const id of ids) locked.set(id, NO_WALLET);
  for (const { user_id, balance, version } of rows) locked.set(user_id, { balance, version });
  return locked;
}

/**
 * The payment reactions' SQL, on the connection the inbox consumer opened its transaction on
 * (raw `pg`, because that transaction is not Prisma's). Nothing here commits or rolls back.
 * `locked`: wallets this transaction already locked (lockWallets); `lockWallet` hands each out
 * once, as read then, and reads any other (or the same one again, after its debit) itself.
 */
export function pgPaymentTransaction(tx: PoolClient, locked?: LockedWallets): PaymentTransaction {
  return {
    async lockWallet(userId) {
      const held = locked?.get(userId.toLowerCase());
      if (locked && held) {
        locked.delete(userId.toLowerCase());
        return held;
      }
      const { rows } = await tx.query<LockedWallet>('SELECT balance, version FROM wallets WHERE user_id = $1 FOR UPDATE', [userId]);
      return rows[0] ?? NO_WALLET;
    },

    async recordPayment(payment, debit, envelopes) {
      const { rows } = await tx.query<{ recorded: number; ledger_entry_id: string | null; balance_after: number | null; wallet_version: number | null }>(RECORD_PAYMENT, [
        payment.id,
        payment.bookingId,
        payment.userId,
        payment.amount,
        payment.status,
        payment.reason,
        debit?.amount ?? 0,
        debit?.reference ?? null,
        ...outboxParameters(envelopes),
      ]);
      const row = rows[0]!;
      if (row.recorded === 0) return null;
      if (!debit) return { entry: null };
      if (row.ledger_entry_id === null) throw new Error(`the wallet of ${debit.userId} cannot cover a debit of ${debit.amount} (${debit.reference})`);
      return { entry: toEntry({ ledger_entry_id: row.ledger_entry_id, balance_after: row.balance_after!, wallet_version: row.wallet_version! }) };
    },

    credit: (credit) => creditWallet(tx, credit),

    async lockPaymentOfBooking(bookingId) {
      const { rows } = await tx.query<PaymentRow>(
        'SELECT id, booking_id, user_id, amount, status, reason FROM payments WHERE booking_id = $1 FOR UPDATE',
        [bookingId],
      );
      return rows[0] ? toPayment(rows[0]) : null;
    },

    async markRefunded(paymentId, reason) {
      const updated = await tx.query(
        `UPDATE payments SET status = 'REFUNDED', reason = $2, updated_at = now() WHERE id = $1 AND status = 'COMPLETED'`,
        [paymentId, reason],
      );
      if (updated.rowCount !== 1) throw new Error(`payment ${paymentId} is not COMPLETED; it cannot be refunded`);
    },

    appendToOutbox: (envelopes) => appendToOutbox(tx, envelopes),
  };
}
