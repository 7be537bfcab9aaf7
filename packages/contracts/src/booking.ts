import { z } from 'zod';
import { entityIdSchema } from './envelope';

/**
 * Events of the Booking aggregate, published by the booking subgraph on `booking.events`
 * (stream `{ type: 'booking', id: bookingId }`). Payloads are version 1; see registry.ts for
 * how they may change.
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

export type SeatsHeld = z.infer<typeof SeatsHeldV1>;
export type PaymentRequested = z.infer<typeof PaymentRequestedV1>;
export type BookingConfirmed = z.infer<typeof BookingConfirmedV1>;
export type BookingCancelled = z.infer<typeof BookingCancelledV1>;
export type BookingExpired = z.infer<typeof BookingExpiredV1>;
export type RefundRequested = z.infer<typeof RefundRequestedV1>;

export const BOOKING_EVENT_TYPES = [
  'SeatsHeld',
  'PaymentRequested',
  'BookingConfirmed',
  'BookingCancelled',
  'BookingExpired',
  'RefundRequested',
] as const;
export type BookingEventType = (typeof BOOKING_EVENT_TYPES)[number];
