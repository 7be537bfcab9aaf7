import type { PaymentCompleted, PaymentFailed, PaymentRefunded } from '@ticketing/contracts';

/**
 * Pure rules for the payment of a booking: whether a request is paid or refused, whether a
 * refund applies, the events each decision publishes, and the ledger references that make
 * each fact bookable once per wallet.
 */

export const PAYMENT_STATUSES = ['COMPLETED', 'FAILED', 'REFUNDED'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** One payment per booking (UNIQUE booking_id). */
export interface Payment {
  id: string;
  bookingId: string;
  /** The payer: only they (and admins) may see the payment. */
  userId: string;
  /** Whole currency units (KRW), as the booking computed them; 0 for a free booking. */
  amount: number;
  status: PaymentStatus;
  /** Why the payment is not (or no longer) COMPLETED; null exactly when COMPLETED. */
  reason: string | null;
}

/** The reason a PaymentFailed carries when the wallet cannot cover the booking. */
export const INSUFFICIENT_BALANCE = 'INSUFFICIENT_BALANCE';

/**
 * A payment's events in its stream: the outcome (completed or failed) first, a refund second.
 * Fixed positions, because each happens at most once per payment.
 */
export const OUTCOME_STREAM_VERSION = 0;
export const REFUND_STREAM_VERSION = 1;

/** What a booking asks to be paid (its PaymentRequested), with the id the new payment gets. */
export interface PaymentRequest {
  paymentId: string;
  bookingId: string;
  userId: string;
  amount: number;
}

export type PaymentDecision =
  /** `debit` is what leaves the wallet; 0 means no ledger entry (the ledger has no zero entries). */
  | { kind: 'PaymentCompleted'; payment: Payment; debit: number; events: readonly [{ type: 'PaymentCompleted'; payload: PaymentCompleted }] }
  | { kind: 'PaymentFailed'; payment: Payment; events: readonly [{ type: 'PaymentFailed'; payload: PaymentFailed }] };

/**
 * Decides a payment from the balance read under the wallet's row lock, so no concurrent debit
 * can spend the same money between this decision and the debit. A free booking (amount 0)
 * completes without touching the wallet, even for a user who has none. The outcome is the
 * payment's first event (OUTCOME_STREAM_VERSION).
 */
export function decidePayment(request: PaymentRequest, balance: number): PaymentDecision {
  const { paymentId, bookingId, userId, amount } = request;
  if (!Number.isSafeInteger(amount) || amount < 0) throw new RangeError(`payment amount must be a whole number >= 0, got ${amount}`);
  const facts = { paymentId, bookingId, userId, amount };
  const payment = { id: paymentId, bookingId, userId, amount };
  if (balance >= amount) {
    return { kind: 'PaymentCompleted', payment: { ...payment, status: 'COMPLETED', reason: null }, debit: amount, events: [{ type: 'PaymentCompleted', payload: facts }] };
  }
  return {
    kind: 'PaymentFailed',
    payment: { ...payment, status: 'FAILED', reason: INSUFFICIENT_BALANCE },
    events: [{ type: 'PaymentFailed', payload: { ...facts, reason: INSUFFICIENT_BALANCE } }],
  };
}

export interface RefundRequest {
  bookingId: string;
  paymentId: string;
  userId: string;
  amount: number;
  reason: string;
}

export type RefundDecision =
  /**
   * `payment` is the payment after the refund; `credit` is what goes back to the wallet: the
   * amount debited (0 means no ledger entry). PaymentRefunded is the stream's second event.
   */
  | { kind: 'RefundGranted'; payment: Payment; credit: number; events: readonly [{ type: 'PaymentRefunded'; payload: PaymentRefunded }] }
  /** A second request for a payment already refunded: nothing more to do. */
  | { kind: 'AlreadyRefunded'; payment: Payment }
  /** Nothing was debited, so nothing can go back. */
  | { kind: 'NothingToRefund'; payment: Payment }
  | { kind: 'PaymentUnknown' }
  /** The request names another payment, payer or amount than the booking's payment: a producer bug. */
  | { kind: 'RefundMismatch'; payment: Payment; mismatch: string };

/** PostgreSQL answers UUIDs in lower case; a producer may have written them in upper case. */
const sameId = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** Decides a refund from the booking's payment, read under its row lock. Refunds exactly what was debited. */
export function decideRefund(payment: Payment | null, request: RefundRequest): RefundDecision {
  if (!payment) return { kind: 'PaymentUnknown' };
  const mismatch = [
    !sameId(payment.id, request.paymentId) && 'paymentId',
    !sameId(payment.userId, request.userId) && 'userId',
    payment.amount !== request.amount && 'amount',
  ].filter((field) => field !== false);
  if (mismatch.length > 0) return { kind: 'RefundMismatch', payment, mismatch: mismatch.join(', ') };
  switch (payment.status) {
    case 'COMPLETED':
      return {
        kind: 'RefundGranted',
        payment: { ...payment, status: 'REFUNDED', reason: request.reason },
        credit: payment.amount,
        events: [{ type: 'PaymentRefunded', payload: { paymentId: payment.id, bookingId: payment.bookingId, userId: payment.userId, amount: payment.amount } }],
      };
    case 'REFUNDED':
      return { kind: 'AlreadyRefunded', payment };
    case 'FAILED':
      return { kind: 'NothingToRefund', payment };
  }
}

/** The ledger reference of a booking's debit: unique per wallet, so a booking is debited once. */
export const debitReference = (bookingId: string) => `booking:${bookingId}`;
/** The ledger reference of a booking's refund: unique per wallet, so a booking is refunded once. */
export const refundReference = (bookingId: string) => `refund:${bookingId}`;
