import { createEvent, type EventEnvelope, type PaymentRequested } from '@ticketing/contracts';
import { debitReference, decidePayment, OUTCOME_STREAM_VERSION, type Payment } from '../domain/payment';
import type { PaymentTransaction } from './ports';

export type CollectPaymentOutcome =
  | { kind: 'PaymentCompleted'; payment: Payment }
  | { kind: 'PaymentFailed'; payment: Payment }
  /** The booking already has a payment (another PaymentRequested got there first): nothing done. */
  | { kind: 'PaymentAlreadyRecorded'; bookingId: string };

export interface ReactionDeps {
  newId: () => string;
  clock: () => Date;
}

/**
 * Reacts to PaymentRequested: debits the wallet at most once per booking and publishes the
 * outcome. Redeliveries of the same event stop at the inbox before this runs; a second request
 * for the same booking (another eventId) stops at UNIQUE(booking_id) below, and the ledger's
 * unique reference would refuse a second debit even if that fence were gone.
 *
 * The wallet is locked before the payment is recorded because the recorded status depends on
 * the balance; a duplicate request therefore waits for the wallet too, then changes nothing.
 */
export function collectPayment(deps: ReactionDeps) {
  return async (request: EventEnvelope<'PaymentRequested', PaymentRequested>, tx: PaymentTransaction): Promise<CollectPaymentOutcome> => {
    const { bookingId, userId, amount } = request.payload;
    const balance = await tx.lockWalletBalance(userId);
    const decision = decidePayment(amount, balance);
    const payment: Payment = {
      id: deps.newId(),
      bookingId,
      userId,
      amount,
      ...(decision.kind === 'PaymentCompleted' ? { status: 'COMPLETED', reason: null } : { status: 'FAILED', reason: decision.reason }),
    };
    if (!(await tx.recordPayment(payment))) return { kind: 'PaymentAlreadyRecorded', bookingId };

    const meta = {
      eventId: deps.newId(),
      streamId: payment.id,
      streamVersion: OUTCOME_STREAM_VERSION,
      now: deps.clock(),
      correlationId: request.correlationId,
      causationId: request.eventId,
    };
    const facts = { paymentId: payment.id, bookingId, userId, amount };
    if (decision.kind === 'PaymentFailed') {
      await tx.appendToOutbox(createEvent('PaymentFailed', { ...facts, reason: decision.reason }, meta));
      return { kind: 'PaymentFailed', payment };
    }
    // The ledger has no zero entries: a free booking completes without touching the wallet.
    if (decision.debit > 0) await tx.debit({ userId, amount: decision.debit, reference: debitReference(bookingId) });
    await tx.appendToOutbox(createEvent('PaymentCompleted', facts, meta));
    return { kind: 'PaymentCompleted', payment };
  };
}
