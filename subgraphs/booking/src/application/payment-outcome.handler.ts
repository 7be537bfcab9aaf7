import type { KnownEvent } from '@ticketing/contracts';
import type { Logger } from '@ticketing/platform';
import { cancel, confirm } from '../domain/booking';
import type { BookingTransaction } from './ports';

/**
 * The booking side of the saga's second half, run by the inbox consumer inside its transaction
 * (so "handled" and the effect commit together): PaymentCompleted confirms a pending booking,
 * or asks for the money back if the booking ended meanwhile; PaymentFailed cancels it and frees
 * its seats. Anything else from the payment stream is not ours to act on.
 */
export function handlePaymentOutcome(deps: { logger: Logger; now?: () => Date }) {
  const now = deps.now ?? (() => new Date());
  return async (event: KnownEvent, tx: BookingTransaction): Promise<boolean> => {
    if (event.type !== 'PaymentCompleted' && event.type !== 'PaymentFailed') return false;
    const { bookingId, paymentId } = event.payload;
    const causation = { correlationId: event.correlationId, causationId: event.eventId };
    const booking = await tx.lock(bookingId);
    // Thrown, so it is retried and then parked for an admin: a payment for a booking this
    // database has never seen means something upstream is wrong, not that it can be ignored.
    if (!booking) throw new Error(`${event.type} for unknown booking ${bookingId}`);
    const at = now();

    if (event.type === 'PaymentCompleted') {
      const decided = confirm(booking, at);
      switch (decided.kind) {
        case 'Transitioned':
          await tx.apply(booking, decided, { paymentId }, causation);
          return true;
        case 'RefundRequired':
          await tx.requestRefund(booking, paymentId, `payment arrived after the booking was ${booking.status.toLowerCase()}: refund requested`, at, causation);
          return true;
        case 'InvalidState':
          deps.logger.warn({ bookingId, status: booking.status, paymentId }, 'PaymentCompleted for a booking that is not pending; ignored');
          return false;
      }
    }

    const decided = cancel(booking, { kind: 'PaymentFailed', reason: event.payload.reason }, at);
    if (decided.kind !== 'Transitioned') {
      // Already ended (payment timed out): the failed payment took no money, nothing to undo.
      deps.logger.info({ bookingId, status: booking.status }, 'PaymentFailed for a booking that already ended; ignored');
      return false;
    }
    await tx.apply(booking, decided, {}, causation);
    return true;
  };
}
