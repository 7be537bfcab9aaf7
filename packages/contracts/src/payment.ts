import { z } from 'zod';
import { entityIdSchema } from './envelope';

/**
 * Events of the Payment aggregate, published by the payment subgraph on `payment.events`
 * (stream `{ type: 'payment', id: paymentId }`; one payment per booking). Version 1.
 */

const amount = z.int().min(0);

export const PaymentCompletedV1 = z.object({
  paymentId: entityIdSchema,
  bookingId: entityIdSchema,
  userId: entityIdSchema,
  amount,
});

export const PaymentFailedV1 = z.object({
  paymentId: entityIdSchema,
  bookingId: entityIdSchema,
  userId: entityIdSchema,
  amount,
  /** Why the debit did not happen, e.g. `INSUFFICIENT_BALANCE`; shown to the fan in the history. */
  reason: z.string().min(1).max(500),
});

export const PaymentRefundedV1 = z.object({
  paymentId: entityIdSchema,
  bookingId: entityIdSchema,
  userId: entityIdSchema,
  amount,
});

export type PaymentCompleted = z.infer<typeof PaymentCompletedV1>;
export type PaymentFailed = z.infer<typeof PaymentFailedV1>;
export type PaymentRefunded = z.infer<typeof PaymentRefundedV1>;

export const PAYMENT_EVENT_TYPES = ['PaymentCompleted', 'PaymentFailed', 'PaymentRefunded'] as const;
export type PaymentEventType = (typeof PAYMENT_EVENT_TYPES)[number];

/**
 * Events of the Wallet aggregate, published by the payment subgraph on `wallet.events` (stream
 * `{ type: 'wallet', id: userId }`). One event per ledger entry, so a wallet's stream is every
 * change of its balance in order, gapless from 0: `streamVersion` = the wallet row's `version`
 * after the change − 1 (the column counts changes, the first credit makes it 1). Folding the
 * stream (+charged, −debited, +refunded from 0) gives the balance; every event also carries
 * `balanceAfter`, which must equal the fold so far. Version 1.
 */

const positiveAmount = z.int().min(1);
const balance = z.int().min(0);
/** The ledger entry (ledger_entries.id) the event mirrors: one event per entry. */
const ledgerEntryId = z.int().min(1);

export const WalletChargedV1 = z.object({
  userId: entityIdSchema,
  amount: positiveAmount,
  balanceAfter: balance,
  ledgerEntryId,
  /** The caller's key for this charge (a client-chosen token of `A-Z a-z 0-9 _ - : .`, no personal data). */
  idempotencyKey: z.string().min(1).max(100),
});

/** Money taken for a booking (the same change as the payment's PaymentCompleted). `amount` is positive. */
export const WalletDebitedV1 = z.object({
  userId: entityIdSchema,
  amount: positiveAmount,
  balanceAfter: balance,
  ledgerEntryId,
  paymentId: entityIdSchema,
  bookingId: entityIdSchema,
});

/** A booking's debit given back (the same change as the payment's PaymentRefunded). */
export const WalletRefundedV1 = z.object({
  userId: entityIdSchema,
  amount: positiveAmount,
  balanceAfter: balance,
  ledgerEntryId,
  paymentId: entityIdSchema,
  bookingId: entityIdSchema,
});

export type WalletCharged = z.infer<typeof WalletChargedV1>;
export type WalletDebited = z.infer<typeof WalletDebitedV1>;
export type WalletRefunded = z.infer<typeof WalletRefundedV1>;

export const WALLET_EVENT_TYPES = ['WalletCharged', 'WalletDebited', 'WalletRefunded'] as const;
export type WalletEventType = (typeof WALLET_EVENT_TYPES)[number];
