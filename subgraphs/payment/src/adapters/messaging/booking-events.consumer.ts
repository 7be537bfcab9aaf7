import type { PoolClient } from 'pg';
import {
  BOOKING_EVENT_TYPES,
  createParserFor,
  type BookingEventType,
  type EventEnvelope,
  type KnownEvent,
  type PaymentRequested,
  type RefundRequested,
} from '@ticketing/contracts';
import type { AfterCommit, ConsumerSpec } from '@ticketing/messaging';
import type { Logger } from '@ticketing/platform';
import type { collectPayment } from '../../application/collect-payment.reaction';
import type { refundPayment } from '../../application/refund-payment.reaction';
import type { CommittedPaymentOutcome } from '../metrics/payment.metrics';
import { pgPaymentTransaction } from '../persistence/pg-payment.transaction';

/** Reads only booking's events: anything else on booking.events is parked as malformed. */
const parseBookingEvent = createParserFor(BOOKING_EVENT_TYPES);
type BookingEvent = Extract<KnownEvent, { type: BookingEventType }>;

/** Inbox key and consumer-group suffix: renaming it would make the group replay booking.events from the start. */
export const BOOKING_EVENTS_CONSUMER = 'payment-requests';

export interface BookingEventsConsumerDeps {
  collectPayment: ReturnType<typeof collectPayment>;
  refundPayment: ReturnType<typeof refundPayment>;
  logger: Logger;
  /** Runs after a commit that wrote outbox rows, so the outcome leaves without waiting for the relay's next poll. */
  outboxWritten?: () => void;
  /** Hears of each payment outcome once its inbox transaction committed (metrics). */
  outcomeCommitted?: (outcome: CommittedPaymentOutcome) => void;
}

/**
 * What the payment subgraph does with booking.events: PaymentRequested → debit once and publish
 * the outcome, RefundRequested → give the money back once. Every other booking event is not
 * payment's business and is acknowledged without effect. The inbox consumer runs `handle` in the
 * transaction that records the event id, so every write goes through its `tx`.
 */
export function bookingEventsConsumer(deps: BookingEventsConsumerDeps): ConsumerSpec<BookingEvent> {
  const { logger } = deps;
  const afterOutboxWrite =
    (outcome: CommittedPaymentOutcome): AfterCommit =>
    async () => {
      deps.outboxWritten?.();
      deps.outcomeCommitted?.(outcome);
    };
  const logged = (event: EventEnvelope) => ({ eventId: event.eventId, correlationId: event.correlationId });

  async function onPaymentRequested(event: EventEnvelope<'PaymentRequested', PaymentRequested>, tx: PoolClient) {
    const outcome = await deps.collectPayment(event, pgPaymentTransaction(tx));
    if (outcome.kind === 'PaymentAlreadyRecorded') {
      logger.info({ ...logged(event), bookingId: outcome.bookingId }, 'the booking already has a payment; request ignored');
      return;
    }
    logger.info({ ...logged(event), paymentId: outcome.payment.id, bookingId: outcome.payment.bookingId, status: outcome.payment.status }, outcome.kind);
    return afterOutboxWrite(outcome);
  }

  async function onRefundRequested(event: EventEnvelope<'RefundRequested', RefundRequested>, tx: PoolClient) {
    const outcome = await deps.refundPayment(event, pgPaymentTransaction(tx));
    switch (outcome.kind) {
      case 'PaymentRefunded':
        logger.info({ ...logged(event), paymentId: outcome.payment.id, bookingId: outcome.payment.bookingId }, 'PaymentRefunded');
        return afterOutboxWrite(outcome);
      case 'AlreadyRefunded':
        logger.info({ ...logged(event), paymentId: outcome.payment.id }, 'payment already refunded; request ignored');
        return;
      case 'NothingToRefund':
        logger.warn({ ...logged(event), paymentId: outcome.payment.id, status: outcome.payment.status }, 'refund requested for a payment that debited nothing; ignored');
        return;
      case 'PaymentUnknown':
        logger.warn({ ...logged(event), bookingId: outcome.bookingId }, 'refund requested for a booking without a payment; ignored');
        return;
    }
  }

  return {
    consumer: BOOKING_EVENTS_CONSUMER,
    from: ['booking'],
    parse: parseBookingEvent,
    async handle(event, tx) {
      // Every booking event listed, none defaulted, so a new one forces a decision here.
      switch (event.type) {
        case 'PaymentRequested':
          return onPaymentRequested(event, tx);
        case 'RefundRequested':
          return onRefundRequested(event, tx);
        case 'SeatsHeld':
        case 'BookingConfirmed':
        case 'BookingCancelled':
        case 'BookingExpired':
          return;
      }
    },
  };
}
