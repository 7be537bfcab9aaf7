import type { PoolClient } from 'pg';
import { appendToOutbox } from '@ticketing/messaging';
import type { PaymentTransaction } from '../../application/ports';
import type { Payment, PaymentStatus } from '../../domain/payment';
import { creditWallet, debitWallet } from './pg-wallet.ledger';

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

    async debit(debit) {
      const entry = await debitWallet(tx, debit);
      if (!entry) throw new Error(`the wallet of ${debit.userId} cannot cover a debit of ${debit.amount} (${debit.reference})`);
      return entry;
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
