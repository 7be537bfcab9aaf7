import { cancel, confirm, type Booking, type RefundRequired, type Transitioned } from './booking';

/** What the payment subgraph reports about a booking's payment (its PaymentCompleted or PaymentFailed). */
export type PaymentOutcome = { kind: 'PaymentCompleted'; paymentId: string } | { kind: 'PaymentFailed'; paymentId: string; reason: string };

/** Why an outcome changes nothing: each is a message that arrived after the booking moved on. */
export type IgnoredBecause =
  /** A second completion (or a failure) for a booking that is already paid. */
  | 'AlreadyConfirmed'
  /** A failure for a booking that already ended (its payment timed out): nothing was taken, nothing to undo. */
  | 'AlreadyEnded'
  /** An outcome for a booking whose payment was never requested: something upstream is off, nothing to do here. */
  | 'PaymentNotRequested';

export type PaymentOutcomeDecision =
  /** Completed → CONFIRMED, or failed → CANCELLED (seats released). */
  | Transitioned
  /** Completed for a booking that ended meanwhile: the money goes back. */
  | RefundRequired
  | { kind: 'Ignored'; because: IgnoredBecause };

/**
 * The booking side of the saga's second half, decided from the booking as stored (row-locked)
 * and the payment's outcome. A pending payment is a lock, so only these outcomes end it;
 * everything that arrives after the booking moved on is ignored with a named reason.
 */
export function decidePaymentOutcome(booking: Booking, outcome: PaymentOutcome, now: Date): PaymentOutcomeDecision {
  if (outcome.kind === 'PaymentCompleted') {
    const decided = confirm(booking, outcome.paymentId, now);
    if (decided.kind !== 'InvalidState') return decided;
    // A refunded booking was confirmed first: a second completion of its payment is a duplicate too.
    return { kind: 'Ignored', because: booking.status === 'CONFIRMED' || booking.status === 'REFUNDED' ? 'AlreadyConfirmed' : 'PaymentNotRequested' };
  }
  const decided = cancel(booking, { kind: 'PaymentFailed', reason: outcome.reason }, now);
  if (decided.kind === 'Transitioned') return decided;
  switch (booking.status) {
    case 'CONFIRMED':
      return { kind: 'Ignored', because: 'AlreadyConfirmed' };
    case 'CANCELLED':
    case 'EXPIRED':
    case 'REFUNDED':
      return { kind: 'Ignored', because: 'AlreadyEnded' };
    case 'HELD':
    case 'PAYMENT_PENDING':
      return { kind: 'Ignored', because: 'PaymentNotRequested' };
  }
}
