import { randomInt, randomUUID } from 'node:crypto';
import path from 'node:path';
import {
  createLogger,
  createMetrics,
  createPgAdapter,
  createRedis,
  prometheus,
  runService,
  startSubgraph,
  type RunningService,
} from '@ticketing/platform';
import { PrismaClient } from '../generated/prisma';
import { createAdmissionWorker } from './application/admission-worker';
import { enterQueue } from './application/enter-queue.command';
import { getQueuePolicy } from './application/get-queue-policy.query';
import { getQueueStats } from './application/get-queue-stats.query';
import { getQueueTicket } from './application/get-queue-ticket.query';
import { setQueuePolicy } from './application/set-queue-policy.command';
import { verifyAdmission } from './application/verify-admission.query';
import { createResolvers } from './adapters/graphql/resolvers';
import { createConcertScheduleCatalog } from './adapters/http/concert-schedule.catalog';
import { mountAdmissionVerifyRoute } from './adapters/http/admission-verify.route';
import { createPrismaAdmissionPolicyStore } from './adapters/persistence/prisma-admission-policy.store';
import { createRedisProgressPublisher } from './adapters/redis/redis-progress.publisher';
import { createRedisWaitingRoom } from './adapters/redis/redis-waiting-room';
import type { Context } from './adapters/graphql/models';
import { loadQueueConfig, type QueueConfig } from './config';

/** Wires the queue subgraph from plain functions, starts it and its admission worker. */
export async function startQueueSubgraph(config: QueueConfig): Promise<RunningService> {
  const logger = createLogger('queue', config.LOG_LEVEL);
  const metrics = createMetrics('queue');
  const prisma = new PrismaClient({ adapter: createPgAdapter(config.QUEUE_DATABASE_URL), errorFormat: 'minimal' });
  const redis = createRedis(config.REDIS_URL, config.REDIS_KEY_PREFIX);
  const policies = createPrismaAdmissionPolicyStore(prisma);
  const defaults = { admitsPerSecond: config.QUEUE_ADMITS_PER_SECOND, maxActive: config.QUEUE_MAX_ACTIVE, paused: false };
  const room = createRedisWaitingRoom(redis, { defaultAdmitsPerSecond: defaults.admitsPerSecond });
  const tokenSecret = config.QUEUE_TOKEN_SECRET;
  const admittedTotal = new prometheus.Counter({
    name: 'queue_admitted_total',
    help: 'Tickets this process admitted (WAITING to ACTIVE), all schedules',
    registers: [metrics.registry],
  });
  const expiredTotal = new prometheus.Counter({
    name: 'queue_expired_total',
    help: 'ACTIVE tickets this process marked EXPIRED, all schedules',
    registers: [metrics.registry],
  });

  const worker = createAdmissionWorker({
    room,
    policies,
    publisher: createRedisProgressPublisher(redis, config.REDIS_KEY_PREFIX),
    settings: { defaults, activeTtlSeconds: config.QUEUE_ACTIVE_TTL_SECONDS },
    randomInt: (maxExclusive) => randomInt(maxExclusive),
    logger,
    tickMs: config.ADMISSION_TICK_MS,
    observe: (tick) => {
      admittedTotal.inc(tick.admitted.length);
      expiredTotal.inc(tick.expired.length);
    },
  });

  const service = await startSubgraph<Context>({
    name: 'queue',
    host: config.HOST,
    port: config.QUEUE_PORT,
    jwtSecret: config.JWT_SECRET,
    root: path.join(__dirname, '..'),
    logger,
    metrics,
    resolvers: createResolvers({
      getQueuePolicy: getQueuePolicy({ policies, defaults }),
      setQueuePolicy: setQueuePolicy({ policies, defaults, room }),
      enterQueue: enterQueue({
        catalog: createConcertScheduleCatalog({ url: config.CONCERT_URL }),
        room,
        tokenSecret,
        newTicketId: randomUUID,
      }),
      getQueueTicket: getQueueTicket({ room, tokenSecret }),
      getQueueStats: getQueueStats({ room, policies, defaults }),
    }),
    context: (identity) => identity,
    configure: (app) =>
      mountAdmissionVerifyRoute(app, { verifyAdmission: verifyAdmission({ room, tokenSecret }), jwtSecret: config.JWT_SECRET, logger }),
    readiness: [
      { name: 'postgres', check: () => prisma.$queryRaw`SELECT 1` },
      { name: 'redis', check: () => redis.ping() },
    ],
    // The worker first: it still uses PostgreSQL and Redis for the step it is finishing.
    onStop: [() => worker.stop(), () => redis.quit(), () => prisma.$disconnect()],
  });
  worker.start();
  return service;
}

if (require.main === module) runService('queue', loadQueueConfig, startQueueSubgraph);
