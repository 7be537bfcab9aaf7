import { createParserFor, PAYMENT_EVENT_TYPES, type KnownEvent, type PaymentEventType } from '@ticketing/contracts';
import type { AfterCommit, ConsumerSpec } from '@ticketing/messaging';
import type { Logger } from '@ticketing/platform';
import type { PaymentOutcomeEvent, settleBooking } from '../../application/settle-booking.reaction';
import { bookingTransactionOn, lockBatch, writeQueuedSteps, type StepBatch, type WrittenStep } from '../persistence/pg-booking.writer';

/** Reads only payment's events: anything else on payment.events is parked as malformed. */
const parsePaymentEvent = createParserFor(PAYMENT_EVENT_TYPES);
type PaymentEvent = Extract<KnownEvent, { type: PaymentEventType }>;

/** Inbox key and consumer-group suffix: renaming it would make the group replay payment.events from the start. */
export const PAYMENT_OUTCOMES_CONSUMER = 'payment-outcomes';

export interface PaymentOutcomesConsumerDeps {
  settleBooking: ReturnType<typeof settleBooking>;
  logger: Logger;
  /** Runs after a commit that wrote outbox rows, so the booking's event leaves without waiting for the relay's next poll. */
  outboxWritten?: () => void;
  /** Hears of the steps a settlement wrote, once its inbox transaction committed (metrics, seat locks). */
  stepsCommitted?: (steps: readonly WrittenStep[]) => void | Promise<void>;
}

/**
 * What the booking subgraph does with payment.events: PaymentCompleted and PaymentFailed settle
 * the booking (confirm, cancel, or ask for the money back); PaymentRefunded is payment's own
 * closing step and needs nothing here. The inbox consumer runs `handle` in the transaction that
 * records the event id, so every write goes through its `tx`.
 */
export function paymentOutcomesConsumer(deps: PaymentOutcomesConsumerDeps): ConsumerSpec<PaymentEvent, StepBatch> {
  const { logger } = deps;

  async function settle(event: PaymentOutcomeEvent, tx: Parameters<ConsumerSpec<PaymentEvent, StepBatch>['handle']>[1], batch?: StepBatch) {
    const written: WrittenStep[] = [];
    const outcome = await deps.settleBooking(event, bookingTransactionOn(tx, written, batch));
    const afterOutboxWrite: AfterCommit = async () => {
      deps.outboxWritten?.();
      await deps.stepsCommitted?.(written);
    };
    const logged = { eventId: event.eventId, correlationId: event.correlationId, bookingId: outcome.bookingId, paymentId: event.payload.paymentId };
    if (outcome.kind !== 'Ignored') {
      logger.info(logged, `${event.type}: booking ${outcome.kind}`);
      return afterOutboxWrite;
    }
    // A failure after the booking ended is the expected end of a timed-out payment; the rest means a message raced ahead of, or behind, the saga.
    const level = outcome.because === 'AlreadyEnded' ? 'info' : 'warn';
    logger[level]({ ...logged, status: outcome.status, because: outcome.because }, `${event.type} ignored`);
    return undefined;
  }

  return {
    consumer: PAYMENT_OUTCOMES_CONSUMER,
    from: ['payment'],
    parse: parsePaymentEvent,
    // A refund's money movement needs nothing from booking (its status changed before payment acted).
    acts: (event) => event.type !== 'PaymentRefunded',
    // A batch's bookings locked in one statement, and its steps written in one more: each
    // settlement was a lock and a write, and under an on-sale this consumer's round trips, one
    // after another, were the slowest stage of a payment.
    prepare: (events, tx) => lockBatch(tx, events.flatMap((event) => (event.type === 'PaymentRefunded' ? [] : [event.payload.bookingId]))),
    finish: (batch, tx) => writeQueuedSteps(tx, batch),
    async handle(event, tx, batch) {
      // Every payment event listed, none defaulted, so a new one forces a decision here.
      switch (event.type) {
        case 'PaymentCompleted':
        case 'PaymentFailed':
          return settle(event, tx, batch);
        case 'PaymentRefunded':
          return undefined;
      }
    },
  };
}
