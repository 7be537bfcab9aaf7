import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { createServiceMessaging, type ServiceMessaging, type StartRetry } from '@ticketing/messaging';
import type { Logger } from '@ticketing/platform';
import { collectPayment } from '../../application/collect-payment.reaction';
import { refundPayment } from '../../application/refund-payment.reaction';
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
}): ServiceMessaging {
  const { logger } = options;
  const messaging = createServiceMessaging({ service: 'payment', ...options });
  const deps = { newId: randomUUID, clock: () => new Date() };
  messaging.consume(
    bookingEventsConsumer({
      collectPayment: collectPayment(deps),
      refundPayment: refundPayment(deps),
      logger,
      outboxWritten: () => messaging.relay.nudge(),
    }),
  );
  return messaging;
}
