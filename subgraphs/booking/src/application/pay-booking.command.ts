import type { Viewer } from '@ticketing/platform';
import { requestPayment, type BookingStatus } from '../domain/booking';
import { PaymentKeyReused, type BookingWriter, type Causation } from './ports';
import { recordStep } from './record-transition';

export type PayBookingResult =
  | { kind: 'PaymentRequested'; bookingId: string }
  /** The same key again: the first call's booking, whatever happened to it since. */
  | { kind: 'Replayed'; bookingId: string }
  | { kind: 'NotFound' }
  | { kind: 'KeyReused' }
  | { kind: 'InvalidState'; status: BookingStatus }
  | { kind: 'HoldExpired' };

/**
 * payBooking: HELD → PAYMENT_PENDING and a PaymentRequested in the outbox, in one transaction.
 * The booking row lock serialises concurrent calls: the first moves the booking, the rest see
 * it moved with their key and answer the same booking (never a second request, never a second
 * debit). The payment subgraph's UNIQUE(booking_id) is the second fence.
 */
export function payBooking(deps: { writer: BookingWriter; now?: () => Date }) {
  const now = deps.now ?? (() => new Date());
  return (viewer: Viewer, input: { bookingId: string; idempotencyKey: string }, causation: Causation): Promise<PayBookingResult> =>
    deps.writer
      .transaction(async (tx): Promise<PayBookingResult> => {
        const { booking, keyUsedFor } = await tx.lockForPayment(input.bookingId, viewer.userId, input.idempotencyKey);
        // Someone else's booking is indistinguishable from no booking.
        if (!booking || booking.userId !== viewer.userId) return { kind: 'NotFound' };
        if (booking.paymentIdempotencyKey === input.idempotencyKey) return { kind: 'Replayed', bookingId: booking.id };
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
          case 'Transitioned':
            await recordStep(tx, booking, decided, causation, { paymentIdempotencyKey: input.idempotencyKey, paymentRequestedAt: at });
            return { kind: 'PaymentRequested', bookingId: booking.id };
        }
      })
      .catch((error: unknown) => {
        // Two bookings paid with one key at the same instant: the unique index decided.
        if (error instanceof PaymentKeyReused) return { kind: 'KeyReused' } as const;
        throw error;
      });
}
