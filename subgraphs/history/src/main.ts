import path from 'node:path';
import { HISTORIC } from '@ticketing/contracts';
import { createEventStore, MongoClient } from '@ticketing/event-store';
import {
  accessTokenSettings,
  createLogger,
  createMetrics,
  createRedis,
  isProduction,
  queryLimitsFromConfig,
  runService,
  startSubgraph,
  type RunningService,
} from '@ticketing/platform';
import { createDoorbell } from './application/doorbell';
import { createProjectionRunner } from './application/projection-runner';
import { readSalesDashboard } from './application/read-sales-dashboard.query';
import { readStreamEvents } from './application/read-stream.query';
import { readTimeline } from './application/read-timeline.query';
import { createResolvers } from './adapters/graphql/resolvers';
import { createEventArchiver } from './adapters/messaging/event-archiver';
import { createHistoryMetrics } from './adapters/metrics/history.metrics';
import { createMongoCheckpointStore } from './adapters/mongo/mongo-checkpoint.store';
import { createRedisLease } from './adapters/redis/redis-lease';
import { createRedisSalesNotifier } from './adapters/redis/redis-sales.notifier';
import { loadHistoryConfig, type HistoryConfig } from './config';
import { createProjections } from './projections';

/** The lease of one projection over one store: instances of another store never contend for it. */
export const projectionLeaseKey = (storeDatabase: string, projection: string) => `history:projection-lease:${storeDatabase}:${projection}`;

/** Whether this instance keeps a read model up to date (`PROJECTIONS`: all, none, or names). */
const runsProjection = (chosen: readonly string[], name: string) => !chosen.includes('none') && (chosen.includes('all') || chosen.includes(name));

/** Wires the history subgraph from plain functions and starts it. */
export async function startHistorySubgraph(config: HistoryConfig): Promise<RunningService> {
  const logger = createLogger('history', config.LOG_LEVEL);
  const store = createEventStore({ url: config.EVENT_STORE_URL, upcasters: HISTORIC, recentEvents: config.EVENT_STORE_RECENT_EVENTS });
  await store.ensureIndexes();
  // Read models and checkpoints live next to the events, in the same database (own client: the store keeps its own private).
  const readModels = new MongoClient(config.EVENT_STORE_URL, { appName: 'ticketing-history', serverSelectionTimeoutMS: 5_000, connectTimeoutMS: 5_000 });
  const db = readModels.db();
  const redis = createRedis(config.REDIS_URL, config.REDIS_KEY_PREFIX);
  const doorbell = createDoorbell();
  const { timelines, sales, projections } = createProjections(db, createRedisSalesNotifier(redis, config.REDIS_KEY_PREFIX));
  const checkpoints = createMongoCheckpointStore(db);
  const metrics = createMetrics('history');
  const historyMetrics = createHistoryMetrics(metrics, {
    source: store,
    checkpoints,
    projections: Object.values(projections).map(({ projection }) => projection.name),
    logger,
  });
  const archiver = createEventArchiver({
    brokers: config.KAFKA_BROKERS,
    topicPrefix: config.KAFKA_TOPIC_PREFIX,
    store: {
      append: async (events) => {
        const result = await store.append(events);
        historyMetrics.appended(events, result);
        if (result.appended.length > 0) doorbell.ring();
        return result;
      },
    },
    logger,
    gatherMs: config.ARCHIVER_GATHER_MS,
    registry: metrics.registry,
  });
  const runners = [];
  for (const { projection, prepare } of Object.values(projections)) {
    await prepare();
    if (!runsProjection(config.PROJECTIONS, projection.name)) continue;
    runners.push(
      createProjectionRunner({
        projection,
        source: store,
        checkpoints,
        lease: createRedisLease(redis, projectionLeaseKey(store.databaseName, projection.name), config.PROJECTION_LEASE_TTL_MS),
        logger,
        batchSize: config.PROJECTION_BATCH_SIZE,
        pollMs: config.PROJECTION_POLL_MS,
        bell: doorbell.bell(),
        minRoundIntervalMs: config.PROJECTION_MIN_ROUND_INTERVAL_MS,
        maxGapWaitMs: config.PROJECTION_MAX_GAP_WAIT_MS,
        renewEveryMs: Math.floor(config.PROJECTION_LEASE_TTL_MS / 3),
      }),
    );
  }
  const stopProjecting = new AbortController();

  const service = await startSubgraph({
    name: 'history',
    host: config.HOST,
    port: config.HISTORY_PORT,
    accessTokens: accessTokenSettings(config),
    queryLimits: queryLimitsFromConfig(config),
    production: isProduction(config),
    root: path.join(__dirname, '..'),
    resolvers: createResolvers({
      readTimeline: readTimeline(timelines),
      readStreamEvents: readStreamEvents(store),
      readSalesDashboard: readSalesDashboard(sales),
    }),
    logger,
    metrics,
    context: (identity) => identity,
    readiness: [
      { name: 'event-store', check: () => store.ping() },
      { name: 'kafka', check: archiver.check },
      { name: 'redis', check: () => redis.ping() },
    ],
    // After HTTP drained: stop archiving (the batch in flight commits), stop projecting (releasing the lease), then close clients.
    onStop: [
      () => archiver.stop(),
      async () => {
        stopProjecting.abort();
        await running;
      },
      () => redis.quit(),
      () => readModels.close(),
      () => store.close(),
    ],
  });
  // Only once HTTP is up, so /health answers (and /ready explains) while Kafka is still being reached.
  void archiver.start();
  const running = Promise.all(runners.map((runner) => runner.run(stopProjecting.signal)));
  return service;
}

if (require.main === module) runService('history', loadHistoryConfig, startHistorySubgraph);
