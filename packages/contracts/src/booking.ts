import { z } from 'zod';
import { entityIdSchema } from './envelope';

/**
 * Events of the Booking aggregate, published by the booking subgraph on `booking.events`
 * (stream `{ type: 'booking', id: bookingId }`). Payloads are version 1 except
 * `BookingConfirmed` (version 2); see registry.ts for how they may change and docs/events.md
 * for each version's history.
 */

const amount = z.int().min(0);
const seatIds = z
  .array(entityIdSchema)
  .min(1)
  .refine((ids) => new Set(ids).size === ids.length, 'seat ids must be unique');
/** Free text for people and dashboards; consumers must not branch on it. */
const reason = z.string().min(1).max(500);
/**
 * Drawn from one database sequence in the transaction that changed the seats' claims, so for any
 * one seat a later claim change always carries a larger number (the unique claim index orders
 * them). Events of different bookings travel on different partitions and may arrive out of
 * order: a seat projection applies a change only if its sequence beats the last one applied.
 */
const seatSequence = z.int().min(1);
/** The waiting-room ticket that admitted the hold; the queue retires it once the booking is confirmed. */
const queueTicketId = z.string().min(1).max(200);

export const SeatsHeldV1 = z.object({
  bookingId: entityIdSchema,
  userId: entityIdSchema,
  scheduleId: entityIdSchema,
  seatIds,
  amount,
  heldUntil: z.iso.datetime({ offset: true }),
  queueTicketId,
  seatSequence,
});

export const PaymentRequestedV1 = z.object({
  bookingId: entityIdSchema,
  userId: entityIdSchema,
  amount,
});

export const BookingConfirmedV1 = z.object({
  bookingId: entityIdSchema,
  userId: entityIdSchema,
  scheduleId: entityIdSchema,
  seatIds,
  amount,
  paymentId: entityIdSchema,
  queueTicketId,
  seatSequence,
});

/**
 * The currency of every booking amount: whole units, no minor unit (KRW has none). Amounts of
 * v1 events carry no currency field, but the contract always meant this one.
 */
export const BOOKING_CURRENCY = 'KRW';

/**
 * v2 adds what v1 left implicit or unrecorded:
 * - `currency` (ISO 4217): the unit of `amount`, so revenue read models label their sums and can
 *   refuse to add amounts of different currencies. Every v1 amount was KRW, so v1 lifts exactly.
 * - `heldUntil`: the hold deadline in force when the payment completed. A confirmation after it
 *   is a sale the pending payment (a semantic lock) saved past the deadline. `null` means "not
 *   recorded" (a v1 event): consumers must count it as unknown, never as on time.
 */
export const BookingConfirmedV2 = BookingConfirmedV1.extend({
  currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 currency code'),
  heldUntil: z.iso.datetime({ offset: true }).nullable(),
});

/** v1 → v2 on read (Kafka and the event store): the currency is known, the deadline was never recorded. */
export function upcastBookingConfirmedV1(payload: z.infer<typeof BookingConfirmedV1>): z.infer<typeof BookingConfirmedV2> {
  return { ...payload, currency: BOOKING_CURRENCY, heldUntil: null };
}

export const BookingCancelledV1 = z.object({
  bookingId: entityIdSchema,
  userId: entityIdSchema,
  scheduleId: entityIdSchema,
  seatIds,
  reason,
  seatSequence,
});

export const BookingExpiredV1 = z.object({
  bookingId: entityIdSchema,
  userId: entityIdSchema,
  scheduleId: entityIdSchema,
  seatIds,
  seatSequence,
});

export const RefundRequestedV1 = z.object({
  bookingId: entityIdSchema,
  paymentId: entityIdSchema,
  userId: entityIdSchema,
  amount,
  reason,
});

/**
 * A CONFIRMED booking given back: its seats are on sale again at once and its payment is to be
 * returned. An admin may refund any confirmed booking; its owner only before the schedule's
 * refund cutoff. Payment reacts as to RefundRequested (once per booking); a comp (no payment,
 * amount 0) has `paymentId` null and nothing to return.
 */
export const BookingRefundedV1 = z.object({
  bookingId: entityIdSchema,
  userId: entityIdSchema,
  scheduleId: entityIdSchema,
  seatIds,
  paymentId: entityIdSchema.nullable(),
  amount,
  reason,
  /** Who asked: an admin (any confirmed booking) or the owner (before the cutoff). */
  refundedBy: z.enum(['ADMIN', 'OWNER']),
  /** The account that asked (the admin's or the owner's id). */
  requestedBy: entityIdSchema,
  seatSequence,
});

/**
 * A comp: an admin books blocked seats for a named guest (bookBlockedSeats), amount 0, no queue
 * ticket and no payment. The booking starts CONFIRMED (its stream's version 0, like SeatsHeld)
 * and its seats are SOLD. The seats leave their block first: the same transaction publishes the
 * block's SeatsReleased with a smaller seat sequence. The guest's name is personal data and
 * stays in booking's database (as e-mails stay in user's): the event says only that there is one.
 */
export const SeatsCompedV1 = z.object({
  bookingId: entityIdSchema,
  /** The admin who booked it: the booking's owner of record. */
  userId: entityIdSchema,
  scheduleId: entityIdSchema,
  seatIds,
  seatSequence,
});

export type SeatsHeld = z.infer<typeof SeatsHeldV1>;
export type PaymentRequested = z.infer<typeof PaymentRequestedV1>;
export type BookingConfirmed = z.infer<typeof BookingConfirmedV2>;
export type BookingCancelled = z.infer<typeof BookingCancelledV1>;
export type BookingExpired = z.infer<typeof BookingExpiredV1>;
export type RefundRequested = z.infer<typeof RefundRequestedV1>;
export type BookingRefunded = z.infer<typeof BookingRefundedV1>;
export type SeatsComped = z.infer<typeof SeatsCompedV1>;

export const BOOKING_EVENT_TYPES = [
  'SeatsHeld',
  'PaymentRequested',
  'BookingConfirmed',
  'BookingCancelled',
  'BookingExpired',
  'RefundRequested',
  'BookingRefunded',
  'SeatsComped',
] as const;
export type BookingEventType = (typeof BOOKING_EVENT_TYPES)[number];
