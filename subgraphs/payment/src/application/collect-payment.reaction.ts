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
 * Stands in for the ledger entry id in WalletDebited until the write draws the real one and sets
 * it (PaymentTransaction.recordPayment): the smallest an entry id may be, so the envelope is valid
 * until then (wallet-events.int.spec proves the stored event has the drawn one).
 */
const LEDGER_ENTRY_ID_DRAWN_BY_THE_WRITE = 1;

/**
 * Reacts to PaymentRequested: debits the wallet at most once per booking and publishes the
 * outcome on the payment's stream and, for a debit, WalletDebited on the wallet's. Redeliveries
 * of the same event stop at the inbox before this runs; a second request for the same booking
 * (another eventId) stops at UNIQUE(booking_id) in recordPayment, which then writes no debit and
 * no event, and the ledger's unique reference would refuse a second debit even if that fence
 * were gone.
 *
 * The wallet is locked before the payment is recorded because the recorded status depends on
 * the balance; a duplicate request therefore waits for the wallet too, then changes nothing.
 */
export function collectPayment(deps: ReactionDeps) {
  return async (request: EventEnvelope<'PaymentRequested', PaymentRequested>, tx: PaymentTransaction): Promise<CollectPaymentOutcome> => {
    const { bookingId, userId } = request.payload;
    const wallet = await tx.lockWallet(userId);
    const decision = decidePayment({ ...request.payload, paymentId: deps.newId() }, wallet.balance);
    const { payment } = decision;
    const causation = { correlationId: request.correlationId, causationId: request.eventId };
    const envelopes = stampEnvelopes(decision.events, { streamId: payment.id, fromVersion: OUTCOME_STREAM_VERSION, ...causation, now: deps.clock(), newId: deps.newId });
    // The ledger has no zero entries: a free booking completes without touching the wallet (and without a wallet event).
    const debit = decision.kind === 'PaymentCompleted' && decision.debit > 0 ? { userId, amount: decision.debit, reference: debitReference(bookingId) } : null;
    // Under the wallet's row lock the debit's outcome is known before it is written, but for the
    // ledger entry's id, which the write draws and sets (issue 10: one statement, not three).
    const expected = debit && { ledgerEntryId: LEDGER_ENTRY_ID_DRAWN_BY_THE_WRITE, balanceAfter: wallet.balance - debit.amount, walletVersion: wallet.version + 1 };
    if (debit && expected) envelopes.push(...walletEnvelopes({ kind: 'PAYMENT', userId, amount: debit.amount, paymentId: payment.id, bookingId }, expected, causation, deps));
    const recorded = await tx.recordPayment(payment, debit, envelopes);
    if (!recorded) return { kind: 'PaymentAlreadyRecorded', bookingId };
    if (expected && (recorded.entry?.balanceAfter !== expected.balanceAfter || recorded.entry.walletVersion !== expected.walletVersion)) {
      // Only a writer that skipped the wallet's lock could cause this: never publish a balance the ledger does not have.
      throw new Error(`the debit of ${bookingId} left ${JSON.stringify(recorded.entry)}, not the ${JSON.stringify(expected)} its event says`);
    }
    return { kind: decision.kind, payment };
  };
}
