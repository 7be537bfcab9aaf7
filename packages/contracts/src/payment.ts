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
