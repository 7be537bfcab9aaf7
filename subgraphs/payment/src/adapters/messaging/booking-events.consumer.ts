import type { PoolClient } from 'pg';
import {
  BOOKING_EVENT_TYPES,
  createParserFor,
  type BookingEventType,
  type EventEnvelope,
  type KnownEvent,
  type BookingRefunded,
  type PaymentRequested,
} from '@ticketing/contracts';
import type { AfterCommit, ConsumerSpec } from '@ticketing/messaging';
import type { Logger } from '@ticketing/platform';
import type { collectPayment } from '../../application/collect-payment.reaction';
import type { refundPayment, RefundAsked } from '../../application/refund-payment.reaction';
import type { CommittedPaymentOutcome } from '../metrics/payment.metrics';
import { lockWallets, pgPaymentTransaction, type LockedWallets } from '../persistence/pg-payment.transaction';

/** Reads only booking's events: anything else on booking.events is parked as malformed. */
const parseBookingEvent = createParserFor(BOOKING_EVENT_TYPES);
type BookingEvent = Extract<KnownEvent, { type: BookingEventType }>;

/** The booking events payment acts on; every type is listed, so a new one forces a decision here. */
const ACTS_ON: Record<BookingEventType, boolean> = {
  PaymentRequested: true,
  RefundRequested: true,
  BookingRefunded: true,
  SeatsHeld: false,
  BookingConfirmed: false,
  BookingCancelled: false,
  BookingExpired: false,
  SeatsComped: false,
};

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
 * the outcome, RefundRequested and BookingRefunded → give the money back once. Every other booking event is not
 * payment's business and is acknowledged unread, without a transaction (`ACTS_ON`). The inbox consumer runs `handle` in the
 * transaction that records the event id, so every write goes through its `tx`.
 */
export function bookingEventsConsumer(deps: BookingEventsConsumerDeps): ConsumerSpec<BookingEvent, LockedWallets> {
  const { logger } = deps;
  const afterOutboxWrite =
    (outcome: CommittedPaymentOutcome): AfterCommit =>
    async () => {
      deps.outboxWritten?.();
      deps.outcomeCommitted?.(outcome);
    };
  const logged = (event: Pick<EventEnvelope, 'eventId' | 'correlationId'>) => ({ eventId: event.eventId, correlationId: event.correlationId });

  async function onPaymentRequested(event: EventEnvelope<'PaymentRequested', PaymentRequested>, tx: PoolClient, wallets?: LockedWallets) {
    const outcome = await deps.collectPayment(event, pgPaymentTransaction(tx, wallets));
    if (outcome.kind === 'PaymentAlreadyRecorded') {
      logger.info({ ...logged(event), bookingId: outcome.bookingId }, 'the booking already has a payment; request ignored');
      return;
    }
    logger.info({ ...logged(event), paymentId: outcome.payment.id, bookingId: outcome.payment.bookingId, status: outcome.payment.status }, outcome.kind);
    return afterOutboxWrite(outcome);
  }

  async function onRefundAsked(event: RefundAsked, tx: PoolClient) {
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

  /** A confirmed booking given back: its payment is returned like a late one; a comp (no payment) has nothing to return. */
  async function onBookingRefunded(event: EventEnvelope<'BookingRefunded', BookingRefunded>, tx: PoolClient) {
    const { bookingId, paymentId, userId, amount, reason } = event.payload;
    if (paymentId === null) {
      logger.info({ ...logged(event), bookingId }, 'refunded booking had no payment (a comp); nothing to return');
      return;
    }
    return onRefundAsked({ eventId: event.eventId, correlationId: event.correlationId, payload: { bookingId, paymentId, userId, amount, reason } }, tx);
  }

  return {
    consumer: BOOKING_EVENTS_CONSUMER,
    from: ['booking'],
    parse: parseBookingEvent,
    // The rest (a hold, a confirmation, …) go unread: most of booking.events at an on-sale.
    reads: BOOKING_EVENT_TYPES.filter((type) => ACTS_ON[type]),
    // A batch's payers' wallets locked in one statement: each payment was a lock and a write, one
    // after another, in this consumer's transaction.
    prepare: (events, tx) => lockWallets(tx, events.flatMap((event) => (event.type === 'PaymentRequested' ? [event.payload.userId] : []))),
    async handle(event, tx, wallets) {
      // Every booking event listed, none defaulted, so a new one forces a decision here.
      switch (event.type) {
        case 'PaymentRequested':
          return onPaymentRequested(event, tx, wallets);
        case 'RefundRequested':
          return onRefundAsked(event, tx);
        case 'BookingRefunded':
          return onBookingRefunded(event, tx);
        case 'SeatsHeld':
        case 'BookingConfirmed':
        case 'BookingCancelled':
        case 'BookingExpired':
        case 'SeatsComped':
          return;
      }
    },
  };
}
