import type { EventEnvelope, PaymentCompleted, PaymentFailed } from '@ticketing/contracts';
import { decidePaymentOutcome, type IgnoredBecause, type PaymentOutcome } from '../domain/payment-outcome';
import type { BookingStatus } from '../domain/booking';
import type { BookingTransaction } from './ports';
import { recordStep } from './record-transition';

export type PaymentOutcomeEvent = EventEnvelope<'PaymentCompleted', PaymentCompleted> | EventEnvelope<'PaymentFailed', PaymentFailed>;

export type SettleBookingOutcome =
  | { kind: 'Confirmed' | 'Cancelled'; bookingId: string }
  | { kind: 'RefundRequested'; bookingId: string }
  | { kind: 'Ignored'; bookingId: string; status: BookingStatus; because: IgnoredBecause };

const outcomeOf = (event: PaymentOutcomeEvent): PaymentOutcome =>
  event.type === 'PaymentCompleted'
    ? { kind: 'PaymentCompleted', paymentId: event.payload.paymentId }
    : { kind: 'PaymentFailed', paymentId: event.payload.paymentId, reason: event.payload.reason };

/**
 * Runs `decidePaymentOutcome` in the inbox consumer's transaction (so "handled" and the effect
 * commit together): locks the booking, decides, writes the step and its events. Concurrent
 * outcomes of one booking queue on the row lock and each decides on what the previous one left.
 */
export function settleBooking(deps: { now?: () => Date } = {}) {
  const now = deps.now ?? (() => new Date());
  return async (event: PaymentOutcomeEvent, tx: BookingTransaction): Promise<SettleBookingOutcome> => {
    const { bookingId } = event.payload;
    const booking = await tx.lock(bookingId);
    // Thrown, so it is retried and then parked for an admin: a payment for a booking this
    // database has never seen means something upstream is wrong, not that it can be ignored.
    if (!booking) throw new Error(`${event.type} for unknown booking ${bookingId}`);
    const decided = decidePaymentOutcome(booking, outcomeOf(event), now());
    if (decided.kind === 'Ignored') return { kind: 'Ignored', bookingId, status: booking.status, because: decided.because };
    await recordStep(tx, booking, decided, { correlationId: event.correlationId, causationId: event.eventId });
    if (decided.kind === 'RefundRequired') return { kind: 'RefundRequested', bookingId };
    return { kind: decided.booking.status === 'CONFIRMED' ? 'Confirmed' : 'Cancelled', bookingId };
  };
}
