import type { PoolClient } from 'pg';
import { appendToOutbox } from '@ticketing/messaging';
import type { PaymentTransaction } from '../../application/ports';
import type { Payment, PaymentStatus } from '../../domain/payment';

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
 * The payment reactions' SQL, on the connection the inbox consumer opened its transaction on
 * (raw `pg`, because that transaction is not Prisma's). Nothing here commits or rolls back.
 */
export function pgPaymentTransaction(tx: PoolClient): PaymentTransaction {
  return {
    async lockWalletBalance(userId) {
      const { rows } = await tx.query<{ balance: number }>('SELECT balance FROM wallets WHERE user_id = $1 FOR UPDATE', [userId]);
      return rows[0]?.balance ?? 0;
    },

    async recordPayment(payment) {
      const inserted = await tx.query(
        `INSERT INTO payments (id, booking_id, user_id, amount, status, reason)
         VALUES ($1, $2, $3, $4, $5::"PaymentStatus", $6)
         ON CONFLICT (booking_id) DO NOTHING`,
        [payment.id, payment.bookingId, payment.userId, payment.amount, payment.status, payment.reason],
      );
      return inserted.rowCount === 1;
    },

    async debit({ userId, amount, reference }) {
      // Conditional even under the row lock: if a caller ever skipped the lock, the balance
      // still cannot go below zero (and the CHECK constraint is the last fence after that).
      const { rows } = await tx.query<{ balance_after: number }>(
        `WITH debited AS (
           UPDATE wallets SET balance = balance - $2::int, version = version + 1, updated_at = now()
           WHERE user_id = $1 AND balance >= $2::int
           RETURNING balance
         )
         INSERT INTO ledger_entries (user_id, kind, amount, balance_after, reference)
         SELECT $1, 'PAYMENT', -$2::int, balance, $3 FROM debited
         RETURNING balance_after`,
        [userId, amount, reference],
      );
      const entry = rows[0];
      if (!entry) throw new Error(`the wallet of ${userId} cannot cover a debit of ${amount} (${reference})`);
      return entry.balance_after;
    },

    async credit({ userId, amount, kind, reference, maxBalance }) {
      // As the charge's credit (prisma-wallet.store.ts): creates the wallet or adds to it under
      // the row lock ON CONFLICT DO UPDATE takes, only within maxBalance, ledger entry included.
      const { rows } = await tx.query<{ balance_after: number }>(
        `WITH credited AS (
           INSERT INTO wallets AS w (user_id, balance, version, updated_at)
           VALUES ($1, $2::int, 1, now())
           ON CONFLICT (user_id) DO UPDATE
             SET balance = w.balance + EXCLUDED.balance, version = w.version + 1, updated_at = now()
             WHERE w.balance + EXCLUDED.balance <= $5::int
           RETURNING balance
         )
         INSERT INTO ledger_entries (user_id, kind, amount, balance_after, reference)
         SELECT $1, $3::"LedgerEntryKind", $2::int, balance, $4 FROM credited
         RETURNING balance_after`,
        [userId, amount, kind, reference, maxBalance],
      );
      return rows[0]?.balance_after ?? null;
    },

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
