import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { accessTokenSettings, isProduction, queryLimitsFromConfig, createLogger, createMetrics, createPgAdapter, createPgPool, runService, startSubgraph, type RunningService } from '@ticketing/platform';
import { PrismaClient } from '../generated/prisma';
import { chargeWallet } from './application/charge-wallet.command';
import { createContextFactory, createResolvers } from './adapters/graphql/resolvers';
import { createPaymentMessaging } from './adapters/messaging/payment-messaging';
import { createPrismaPaymentReader } from './adapters/persistence/prisma-payment.reader';
import { createPgWalletStore } from './adapters/persistence/pg-wallet.store';
import { loadPaymentConfig, type PaymentConfig } from './config';

/** Wires the payment subgraph from plain functions and starts it. */
export async function startPaymentSubgraph(config: PaymentConfig): Promise<RunningService> {
  const logger = createLogger('payment', config.LOG_LEVEL);
  // Every write runs on plain pg: the inbox consumer hands its handlers a pg client, and a charge's
  // outbox row must share its transaction (the messaging package is Prisma-free). Prisma only
  // reads payments, on the same pool.
  const metrics = createMetrics('payment');
  const pool = createPgPool(config.PAYMENT_DATABASE_URL, { max: config.PG_POOL_MAX, logger, name: 'payment', registry: metrics.registry, maxPreparedStatements: config.PG_PREPARED_STATEMENTS });
  const prisma = new PrismaClient({ adapter: createPgAdapter(pool), errorFormat: 'minimal' });
  const wallets = createPgWalletStore(pool);
  const messaging = createPaymentMessaging({ brokers: config.KAFKA_BROKERS, topicPrefix: config.KAFKA_TOPIC_PREFIX, pool, logger, metrics });
  // A charge that committed may have written its WalletCharged: publish now rather than at the next poll.
  const nudged = <A extends unknown[], R>(command: (...args: A) => Promise<R>) => async (...args: A) => {
    const result = await command(...args);
    messaging.relay.nudge();
    return result;
  };

  const service = await startSubgraph({
    name: 'payment',
    host: config.HOST,
    port: config.PAYMENT_PORT,
    accessTokens: accessTokenSettings(config),
    queryLimits: queryLimitsFromConfig(config),
    production: isProduction(config),
    root: path.join(__dirname, '..'),
    resolvers: createResolvers({ chargeWallet: nudged(chargeWallet({ wallets, newId: randomUUID, clock: () => new Date() })) }),
    logger,
    metrics,
    context: createContextFactory(wallets, createPrismaPaymentReader(prisma)),
    readiness: [
      { name: 'postgres', check: () => prisma.$queryRaw`SELECT 1` },
      { name: 'kafka', check: messaging.check },
    ],
    // After HTTP drained: stop consuming (in-flight messages commit), drain the relay, then close pools.
    onStop: [() => messaging.stop(), () => prisma.$disconnect(), () => pool.end()],
  });
  // Only once HTTP is up, so /health answers (and /ready explains) while Kafka is still being reached.
  void messaging.start();
  return service;
}

if (require.main === module) runService('payment', loadPaymentConfig, startPaymentSubgraph);
