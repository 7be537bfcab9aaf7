import type { Viewer } from '@ticketing/platform';
import { requestPayment, type BookingStatus } from '../domain/booking';
import { detailsAfterStep } from './booking-details';
import { PaymentKeyReused, type BookingDetails, type BookingWriter, type Causation } from './ports';
import { recordStepIfUnchanged } from './record-transition';

/** `booking`: as it stands once the call is done, from its own read and write (no read after). */
export type PayBookingResult =
  | { kind: 'PaymentRequested'; booking: BookingDetails }
  /** The same key again: the first call's booking, whatever happened to it since. */
  | { kind: 'Replayed'; booking: BookingDetails }
  | { kind: 'NotFound' }
  | { kind: 'KeyReused' }
  | { kind: 'InvalidState'; status: BookingStatus }
  | { kind: 'HoldExpired' };

/**
 * A booking changes a handful of times in its life, so a write that keeps losing to others is a
 * bug, not contention.
 */
const MAX_ATTEMPTS = 10;

/**
 * payBooking: HELD → PAYMENT_PENDING and a PaymentRequested in the outbox, in one statement
 * (issue 10: two round trips where BEGIN, the row lock, the write and COMMIT were four). The
 * booking is read without a lock and the write is guarded by the version read: a write that lost
 * to another (the same call twice, the sweeper's expiry) wrote nothing, and the booking is read
 * and decided on again. So concurrent calls with one key still move it once, and the rest answer
 * the same booking (never a second request, never a second debit). The payment subgraph's
 * UNIQUE(booking_id) is the second fence.
 */
export function payBooking(deps: { writer: BookingWriter; now?: () => Date }) {
  const now = deps.now ?? (() => new Date());
  const attempt = async (viewer: Viewer, input: { bookingId: string; idempotencyKey: string }, causation: Causation): Promise<PayBookingResult | 'Overtaken'> => {
    const { booking, keyUsedFor } = await deps.writer.readForPayment(input.bookingId, viewer.userId, input.idempotencyKey);
    // Someone else's booking is indistinguishable from no booking.
    if (!booking || booking.userId !== viewer.userId) return { kind: 'NotFound' };
    if (booking.paymentIdempotencyKey === input.idempotencyKey) return { kind: 'Replayed', booking };
    if (keyUsedFor !== null && keyUsedFor !== booking.id) return { kind: 'KeyReused' };
    const at = now();
    const decided = requestPayment(booking, viewer.userId, at);
    switch (decided.kind) {
      case 'NotOwner':
        return { kind: 'NotFound' };
      case 'InvalidState':
        return { kind: 'InvalidState', status: decided.status };
      case 'HoldExpired':
        return { kind: 'HoldExpired' };
      case 'Transitioned': {
        const written = await recordStepIfUnchanged(deps.writer, booking, decided, causation, { paymentIdempotencyKey: input.idempotencyKey, paymentRequestedAt: at });
        return written ? { kind: 'PaymentRequested', booking: detailsAfterStep(booking, decided) } : 'Overtaken';
      }
    }
  };
  return async (viewer: Viewer, input: { bookingId: string; idempotencyKey: string }, causation: Causation): Promise<PayBookingResult> => {
    try {
      for (let attempts = 1; attempts <= MAX_ATTEMPTS; attempts += 1) {
        const outcome = await attempt(viewer, input, causation);
        if (outcome !== 'Overtaken') return outcome;
      }
    } catch (error) {
      // Two bookings paid with one key at the same instant: the unique index decided.
      if (error instanceof PaymentKeyReused) return { kind: 'KeyReused' };
      throw error;
    }
    throw new Error(`booking ${input.bookingId} changed under payBooking ${MAX_ATTEMPTS} times in a row`);
  };
}
