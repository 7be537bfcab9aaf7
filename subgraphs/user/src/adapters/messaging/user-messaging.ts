import type { Pool } from 'pg';
import { createServiceMessaging, type ServiceMessaging, type ServiceMessagingOptions, type StartRetry } from '@ticketing/messaging';
import type { Logger } from '@ticketing/platform';

/**
 * The user subgraph's part on Kafka: the relay that publishes its outbox (UserRegistered,
 * UserRoleChanged) on user.events. It consumes nothing.
 */
export function createUserMessaging(options: {
  brokers: readonly string[];
  topicPrefix: string;
  pool: Pool;
  logger: Logger;
  relayIntervalMs?: number;
  startRetry?: StartRetry;
  /** The service's metrics registry: the outbox backlog and age are read on scrape. */
  registry?: ServiceMessagingOptions['registry'];
}): ServiceMessaging {
  return createServiceMessaging({ service: 'user', ...options });
}
