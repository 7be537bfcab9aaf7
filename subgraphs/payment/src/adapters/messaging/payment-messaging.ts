import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { createServiceMessaging, type ServiceMessaging, type StartRetry } from '@ticketing/messaging';
import type { Logger, Metrics } from '@ticketing/platform';
import { collectPayment } from '../../application/collect-payment.reaction';
import { refundPayment } from '../../application/refund-payment.reaction';
import { createPaymentMetrics } from '../metrics/payment.metrics';
import { bookingEventsConsumer } from './booking-events.consumer';

/**
 * Payment's part in the saga: the relay that publishes its outbox on payment.events and the
 * consumer of booking.events, on the service's own database.
 */
export function createPaymentMessaging(options: {
  brokers: readonly string[];
  topicPrefix: string;
  pool: Pool;
  logger: Logger;
  relayIntervalMs?: number;
  startRetry?: StartRetry;
  /** The service's metrics: pipeline metrics and payment outcomes go on its registry. */
  metrics?: Pick<Metrics, 'registry'>;
}): ServiceMessaging {
  const { logger, metrics, ...rest } = options;
  const messaging = createServiceMessaging({ service: 'payment', logger, ...rest, ...(metrics && { registry: metrics.registry }) });
  const paymentMetrics = metrics && createPaymentMetrics(metrics);
  const deps = { newId: randomUUID, clock: () => new Date() };
  messaging.consume(
    bookingEventsConsumer({
      collectPayment: collectPayment(deps),
      refundPayment: refundPayment(deps),
      logger,
      outboxWritten: () => messaging.relay.nudge(),
      ...(paymentMetrics && { outcomeCommitted: paymentMetrics.outcomeCommitted }),
    }),
  );
  return messaging;
}
