import type { EventEnvelope, PaymentRequested } from '@ticketing/contracts';
import { stampEnvelopes } from '@ticketing/messaging';
import { debitReference, decidePayment, OUTCOME_STREAM_VERSION, type Payment } from '../domain/payment';
import type { PaymentTransaction } from './ports';
import { walletEnvelopes, type StampDeps } from './wallet-events';

export type CollectPaymentOutcome =
  | { kind: 'PaymentCompleted'; payment: Payment }
  | { kind: 'PaymentFailed'; payment: Payment }
  /** The booking already has a payment (another PaymentRequested got there first): nothing done. */
  | { kind: 'PaymentAlreadyRecorded'; bookingId: string };

export type ReactionDeps = StampDeps;

/**
 * Reacts to PaymentRequested: debits the wallet at most once per booking and publishes the
 * outcome on the payment's stream and, for a debit, WalletDebited on the wallet's. Redeliveries of the same event stop at the inbox before this runs; a second request
 * for the same booking (another eventId) stops at UNIQUE(booking_id) below, and the ledger's
 * unique reference would refuse a second debit even if that fence were gone.
 *
 * The wallet is locked before the payment is recorded because the recorded status depends on
 * the balance; a duplicate request therefore waits for the wallet too, then changes nothing.
 */
export function collectPayment(deps: ReactionDeps) {
  return async (request: EventEnvelope<'PaymentRequested', PaymentRequested>, tx: PaymentTransaction): Promise<CollectPaymentOutcome> => {
    const { bookingId, userId } = request.payload;
    const balance = await tx.lockWalletBalance(userId);
    const decision = decidePayment({ ...request.payload, paymentId: deps.newId() }, balance);
    const { payment } = decision;
    if (!(await tx.recordPayment(payment))) return { kind: 'PaymentAlreadyRecorded', bookingId };
    const causation = { correlationId: request.correlationId, causationId: request.eventId };
    const envelopes = stampEnvelopes(decision.events, { streamId: payment.id, fromVersion: OUTCOME_STREAM_VERSION, ...causation, now: deps.clock(), newId: deps.newId });
    // The ledger has no zero entries: a free booking completes without touching the wallet (and without a wallet event).
    if (decision.kind === 'PaymentCompleted' && decision.debit > 0) {
      const entry = await tx.debit({ userId, amount: decision.debit, reference: debitReference(bookingId) });
      envelopes.push(...walletEnvelopes({ kind: 'PAYMENT', userId, amount: decision.debit, paymentId: payment.id, bookingId }, entry, causation, deps));
    }
    await tx.appendToOutbox(envelopes);
    return { kind: decision.kind, payment };
  };
}
