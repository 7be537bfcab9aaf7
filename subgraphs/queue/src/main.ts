import { randomInt, randomUUID } from 'node:crypto';
import path from 'node:path';
import { createServiceMessaging } from '@ticketing/messaging';
import {
  accessTokenSettings,
  createLogger,
  createMetrics,
  createPgPool,
  isProduction,
  queryLimitsFromConfig,
  runService,
  startSubgraph,
  type RunningService,
} from '@ticketing/platform';
import { createAdmissionWorker } from './application/admission-worker';
import { enterQueue } from './application/enter-queue.command';
import { getQueuePolicy } from './application/get-queue-policy.query';
import { getQueueStats } from './application/get-queue-stats.query';
import { getQueueTicket } from './application/get-queue-ticket.query';
import { retireTicket } from './application/retire-ticket.command';
import { setQueuePolicy } from './application/set-queue-policy.command';
import { verifyAdmission } from './application/verify-admission.query';
import { createResolvers } from './adapters/graphql/resolvers';
import { createConcertScheduleCatalog } from './adapters/http/concert-schedule.catalog';
import { createConcertPriceFreezer } from './adapters/http/concert-price.freezer';
import { mountAdmissionVerifyRoute } from './adapters/http/admission-verify.route';
import { createQueueMetrics } from './adapters/metrics/queue.metrics';
import { ticketRetirementConsumer } from './adapters/messaging/ticket-retirement.consumer';
import { saleWindowConsumer } from './adapters/messaging/sale-window.consumer';
import { followSaleWindow } from './application/follow-sale-window.reaction';
import { createPgAdmissionPolicyStore } from './adapters/persistence/pg-admission-policy.store';
import { createPgEventOutbox } from './adapters/persistence/pg-queue.outbox';
import { createRedisProgressPublisher } from './adapters/redis/redis-progress.publisher';
import { createRedisTicketChangePublisher } from './adapters/redis/redis-ticket-change.publisher';
import { createRedisWaitingRoom } from './adapters/redis/redis-waiting-room';
import { createQueueRedis } from './adapters/redis/queue-redis';
import { watchRedisRestarts } from './adapters/redis/redis-restart.watch';
import { createPgTicketRecord } from './adapters/persistence/pg-ticket.record';
import { restoreWaitingRooms } from './application/restore-waiting-rooms.command';
import { guardedWhileRestoring } from './application/restoring-guard';
import type { Context } from './adapters/graphql/models';
import { loadQueueConfig, type QueueConfig } from './config';

/**
 * pg connections for the consumer (one message at a time per partition), the relay, the
 * admission worker's one outbox write per tick and admins' policy changes: a few are plenty.
 */
const PG_POOL_MAX = 5;

/** How far back a restore looks: an expired ticket stays readable a day, a live one never lasts that long. */
const TICKET_LOOKBACK_MS = 24 * 60 * 60 * 1000;

/** Wires the queue subgraph from plain functions, starts it and its admission worker. */
export async function startQueueSubgraph(config: QueueConfig): Promise<RunningService> {
  const logger = createLogger('queue', config.LOG_LEVEL);
  const metrics = createMetrics('queue');
  const redis = createQueueRedis(config.REDIS_URL, config.REDIS_KEY_PREFIX);
  // Policies, the outbox and the inbox share one pg pool: what commits together uses one client.
  const pool = createPgPool(config.QUEUE_DATABASE_URL, { max: PG_POOL_MAX, logger, name: 'queue', registry: metrics.registry, maxPreparedStatements: config.PG_PREPARED_STATEMENTS });
  const defaults = { admitsPerSecond: config.QUEUE_ADMITS_PER_SECOND, maxActive: config.QUEUE_MAX_ACTIVE, paused: false };
  const liveRoom = createRedisWaitingRoom(redis, { defaultAdmitsPerSecond: defaults.admitsPerSecond });
  const catalog = createConcertScheduleCatalog({ url: config.CONCERT_URL });
  const record = createPgTicketRecord(pool);
  const tokenSecret = config.QUEUE_TOKEN_SECRET;
  const passSecret = config.ADMISSION_PASS_SECRET;
  const queueMetrics = createQueueMetrics(metrics, { room: liveRoom, logger });

  const messaging = createServiceMessaging({
    service: 'queue',
    brokers: config.KAFKA_BROKERS,
    topicPrefix: config.KAFKA_TOPIC_PREFIX,
    pool,
    logger,
    registry: metrics.registry,
  });
  const policies = createPgAdmissionPolicyStore(pool, () => messaging.relay.nudge());
  // After a Redis restart (its append-only file keeps all but the last second), what it lost comes
  // back from PostgreSQL before any fan is answered again (ADR 0011).
  const restarts = watchRedisRestarts(redis, {
    restore: restoreWaitingRooms({ room: liveRoom, record, catalog, policies, lookbackMs: TICKET_LOOKBACK_MS, now: () => new Date(), logger }),
    logger,
  });
  const room = guardedWhileRestoring(liveRoom, restarts.restoring);
  // Opening times and closed sales come from the catalog's events, not the cached reads of enterQueue.
  messaging.consume(saleWindowConsumer({ followSaleWindow: followSaleWindow({ room }), logger }));
  messaging.consume(
    ticketRetirementConsumer({
      retireTicket: retireTicket({ room, publisher: createRedisTicketChangePublisher(redis, config.REDIS_KEY_PREFIX), newId: randomUUID }),
      logger,
      onRetired: queueMetrics.ticketRetired,
    }),
  );

  const worker = createAdmissionWorker({
    room: liveRoom,
    held: restarts.restoring,
    record,
    policies,
    publisher: createRedisProgressPublisher(redis, config.REDIS_KEY_PREFIX),
    prices: createConcertPriceFreezer({ concertUrl: config.CONCERT_URL, accessTokens: accessTokenSettings(config) }),
    outbox: createPgEventOutbox(pool, () => messaging.relay.nudge()),
    newId: randomUUID,
    settings: { defaults, activeTtlSeconds: config.QUEUE_ACTIVE_TTL_SECONDS },
    randomInt: (maxExclusive) => randomInt(maxExclusive),
    logger,
    tickMs: config.ADMISSION_TICK_MS,
    observe: queueMetrics.tickObserved,
  });

  // An arrival wakes an idle admission loop at once (it sleeps longer while no line is live).
  const wakingWorker =
    <A extends unknown[], R>(command: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const result = await command(...args);
      worker.nudge();
      return result;
    };

  const service = await startSubgraph<Context>({
    name: 'queue',
    host: config.HOST,
    port: config.QUEUE_PORT,
    accessTokens: accessTokenSettings(config),
    queryLimits: queryLimitsFromConfig(config),
    production: isProduction(config),
    root: path.join(__dirname, '..'),
    logger,
    metrics,
    resolvers: createResolvers({
      getQueuePolicy: getQueuePolicy({ policies, defaults }),
      setQueuePolicy: setQueuePolicy({ policies, defaults, room, catalog, now: () => new Date(), newId: randomUUID }),
      enterQueue: wakingWorker(
        enterQueue({
          catalog,
          room,
          record,
          tokenSecret,
          passSecret,
          newTicketId: randomUUID,
        }),
      ),
      getQueueTicket: getQueueTicket({ room, tokenSecret, passSecret }),
      getQueueStats: getQueueStats({ room, policies, defaults }),
    }),
    context: (identity) => identity,
    configure: (app, _server, _apollo, fence) =>
      mountAdmissionVerifyRoute(app, { verifyAdmission: verifyAdmission({ room, tokenSecret }), accessTokens: accessTokenSettings(config), logger, ...fence }),
    readiness: [
      { name: 'postgres', check: () => pool.query('SELECT 1') },
      { name: 'redis', check: () => redis.ping() },
      { name: 'waiting rooms restored', check: restarts.check },
      { name: 'kafka', check: messaging.check },
    ],
    // The worker and the consumers first: they still use PostgreSQL and Redis for the step in flight
    // (messaging.stop also drains the relay, after the worker's last outbox write).
    onStop: [() => worker.stop(), () => messaging.stop(), async () => restarts.stop(), () => redis.quit(), () => pool.end()],
  });
  worker.start();
  // In the background, once HTTP is up: /ready says `kafka` until the consumers have joined.
  void messaging.start();
  return service;
}

if (require.main === module) runService('queue', loadQueueConfig, startQueueSubgraph);
