import type { EventEnvelope } from '@ticketing/contracts';
import { stampEnvelopes } from '@ticketing/messaging';
import { decideRefund, refundReference, REFUND_STREAM_VERSION, type Payment, type RefundRequest } from '../domain/payment';
import { MAX_BALANCE } from '../domain/wallet';
import type { ReactionDeps } from './collect-payment.reaction';
import type { PaymentTransaction } from './ports';
import { walletEnvelopes } from './wallet-events';

export type RefundPaymentOutcome =
  | { kind: 'PaymentRefunded'; payment: Payment }
  | { kind: 'AlreadyRefunded'; payment: Payment }
  /** The payment failed: nothing was debited, so nothing goes back. */
  | { kind: 'NothingToRefund'; payment: Payment }
  | { kind: 'PaymentUnknown'; bookingId: string };

/** The booking event that asks for the money back, reduced to what a refund needs (its id is the causation). */
export type RefundAsked = Pick<EventEnvelope, 'eventId' | 'correlationId'> & { payload: RefundRequest };

/**
 * Reacts to RefundRequested (the booking was paid after it had expired or been cancelled) and
 * to BookingRefunded (a confirmed booking given back): gives back exactly what was debited, once. The payment row is locked first, so two requests
 * for one booking queue there and the second finds it REFUNDED; the ledger's unique
 * `refund:<bookingId>` reference is the fence behind that.
 *
 * A request that contradicts the stored payment (other payment id, payer or amount) is a bug
 * upstream and throws: the consumer retries, then parks it on the dead-letter topic for a human,
 * rather than moving money on a guess. So does a refund that would lift the wallet above
 * MAX_BALANCE (the owner charged it full meanwhile): an admin redrives it once there is room.
 */
export function refundPayment(deps: ReactionDeps) {
  return async (request: RefundAsked, tx: PaymentTransaction): Promise<RefundPaymentOutcome> => {
    const { bookingId, reason } = request.payload;
    const decision = decideRefund(await tx.lockPaymentOfBooking(bookingId), request.payload);
    switch (decision.kind) {
      case 'PaymentUnknown':
        return { kind: 'PaymentUnknown', bookingId };
      case 'AlreadyRefunded':
      case 'NothingToRefund':
        return decision;
      case 'RefundMismatch':
        throw new Error(`refund request ${request.eventId} does not match the payment of booking ${bookingId}: ${decision.mismatch} differ`);
      case 'RefundGranted':
        break;
    }
    const { payment, credit } = decision;
    await tx.markRefunded(payment.id, reason);
    const causation = { correlationId: request.correlationId, causationId: request.eventId };
    const envelopes = stampEnvelopes(decision.events, { streamId: payment.id, fromVersion: REFUND_STREAM_VERSION, ...causation, now: deps.clock(), newId: deps.newId });
    if (credit > 0) {
      const entry = await tx.credit({ userId: payment.userId, amount: credit, kind: 'REFUND', reference: refundReference(bookingId), maxBalance: MAX_BALANCE });
      if (entry === null) throw new Error(`refunding ${credit} for booking ${bookingId} would lift the wallet above ${MAX_BALANCE}`);
      envelopes.push(...walletEnvelopes({ kind: 'REFUND', userId: payment.userId, amount: credit, paymentId: payment.id, bookingId }, entry, causation, deps));
    }
    await tx.appendToOutbox(envelopes);
    return { kind: 'PaymentRefunded', payment };
  };
}
