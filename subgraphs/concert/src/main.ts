import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { createServiceMessaging } from '@ticketing/messaging';
import {
  accessTokenSettings,
  createLogger,
  createMetrics,
  createPgAdapter,
  createPgPool,
  createRedis,
  isProduction,
  prometheus,
  queryLimitsFromConfig,
  runService,
  startSubgraph,
  type RunningService,
} from '@ticketing/platform';
import { PrismaClient } from '../generated/prisma';
import { addSeatsCommand } from './application/add-seats.command';
import { changeSeatStatuses } from './application/change-seat-statuses.command';
import { seatNews } from './application/seat-news';
import { createConcertCommand } from './application/create-concert.command';
import { createScheduleCommand } from './application/create-schedule.command';
import { getSeatMap } from './application/get-seat-map.query';
import { listConcerts } from './application/list-concerts.query';
import { updateConcertCommand } from './application/update-concert.command';
import { updateScheduleCommand } from './application/update-schedule.command';
import { freezePricesCommand } from './application/freeze-prices.command';
import { setSectionPriceCommand } from './application/set-section-price.command';
import { closeSalesCommand } from './application/close-sales.command';
import { openSalesCommand } from './application/open-sales.command';
import { mountPriceFreezeRoute } from './adapters/http/price-freeze.route';
import { createContextFactory, createResolvers } from './adapters/graphql/resolvers';
import { seatProjectionConsumer } from './adapters/messaging/seat-projection.consumer';
import { createPgCatalogWriter } from './adapters/persistence/pg-catalog.writer';
import { createPrismaCatalogStore } from './adapters/persistence/prisma-catalog.store';
import { createRedisSeatChangesPublisher } from './adapters/redis/redis-seat-changes.publisher';
import { createRedisSeatMapCache } from './adapters/redis/seat-map.cache';
import { createRedlockSeatMapRebuildLock } from './adapters/redis/seat-map-rebuild.lock';
import { loadConcertConfig, type ConcertConfig } from './config';

/** Long enough for one seat-map query; short enough that a crashed holder blocks nobody for long. */
const SEAT_MAP_LOCK_TTL_MS = 3_000;
/**
 * The one pool's size. Writers need few (one consumer message at a time per partition, the relay,
 * rare admin writes); readers more: seat-map rebuilds (one at a time, under a lock), schedule and
 * seat look-ups of every federated query and the booking subgraph's terms. 10 is what Prisma's own
 * pool had before the two pools became one (5 + 10 connections before, 10 now).
 */
const PG_POOL_MAX = 10;

/** Wires the concert subgraph from plain functions and starts it. */
export async function startConcertSubgraph(config: ConcertConfig): Promise<RunningService> {
  const logger = createLogger('concert', config.LOG_LEVEL);
  const metrics = createMetrics('concert');
  const dbQueries = new prometheus.Counter({
    name: 'concert_db_queries_total',
    help: 'SQL statements this process sent to PostgreSQL',
    registers: [metrics.registry],
  });
  const seatMapRebuilds = new prometheus.Counter({
    name: 'seat_map_rebuilds_total',
    help: 'Seat maps read from PostgreSQL and stored in Redis by the rebuild-lock holder',
    registers: [metrics.registry],
  });
  const seatMapFallbacks = new prometheus.Counter({
    name: 'seat_map_fallbacks_total',
    help: 'Seat-map reads that waited for another rebuild in vain and read PostgreSQL directly',
    registers: [metrics.registry],
  });

  // One pool for the database: Prisma's reads (seat maps, the catalog) and pg's transactions
  // (catalog commands, the inbox consumer writing the projection, the relay) share it.
  const pool = createPgPool(config.CONCERT_DATABASE_URL, { max: PG_POOL_MAX, logger, name: 'concert', registry: metrics.registry, maxPreparedStatements: config.PG_PREPARED_STATEMENTS });
  const prisma = new PrismaClient({
    adapter: createPgAdapter(pool),
    errorFormat: 'minimal',
    log: [{ emit: 'event', level: 'query' }],
  });
  prisma.$on('query', () => dbQueries.inc());
  const redis = createRedis(config.REDIS_URL, config.REDIS_KEY_PREFIX);

  const store = createPrismaCatalogStore(prisma);
  const cache = createRedisSeatMapCache(redis, { ttlSeconds: config.SEAT_MAP_CACHE_TTL_SECONDS, logger });
  const seatMap = getSeatMap({
    store,
    cache,
    lock: createRedlockSeatMapRebuildLock(redis, { ttlMs: SEAT_MAP_LOCK_TTL_MS, logger }),
    observe: (source) => {
      if (source === 'rebuild') seatMapRebuilds.inc();
      if (source === 'fallback') seatMapFallbacks.inc();
    },
  });
  const createContext = createContextFactory(store);

  // The inbox consumer writes its inbox row and the projection through one pg transaction (on `pool`); the
  // relay publishes the catalog's own events (written with their rows by the catalog commands).
  const messaging = createServiceMessaging({
    service: 'concert',
    brokers: config.KAFKA_BROKERS,
    topicPrefix: config.KAFKA_TOPIC_PREFIX,
    pool,
    logger,
    registry: metrics.registry,
  });
  messaging.consume(
    seatProjectionConsumer({
      changeSeatStatuses: changeSeatStatuses({ news: seatNews({ cache, publisher: createRedisSeatChangesPublisher(redis, config.REDIS_KEY_PREFIX) }) }),
    }),
  );

  // A committed catalog change wakes the relay, so its event leaves at once rather than at the next poll.
  const catalog = { writer: createPgCatalogWriter(pool, () => messaging.relay.nudge()), now: () => new Date(), newId: randomUUID };

  const service = await startSubgraph({
    name: 'concert',
    host: config.HOST,
    port: config.CONCERT_PORT,
    accessTokens: accessTokenSettings(config),
    queryLimits: queryLimitsFromConfig(config),
    production: isProduction(config),
    root: path.join(__dirname, '..'),
    logger,
    metrics,
    resolvers: createResolvers({
      listConcerts: listConcerts({ store }),
      seatMap,
      createConcert: createConcertCommand(catalog),
      updateConcert: updateConcertCommand(catalog),
      createSchedule: createScheduleCommand(catalog),
      updateSchedule: updateScheduleCommand(catalog),
      addSeats: addSeatsCommand({ ...catalog, cache, maxSeatsPerSchedule: config.MAX_SEATS_PER_SCHEDULE }),
      setSectionPrice: setSectionPriceCommand({ ...catalog, cache }),
      closeSales: closeSalesCommand(catalog),
      openSales: openSalesCommand(catalog),
    }),
    configure: (app) =>
      mountPriceFreezeRoute(app, { freezePrices: freezePricesCommand({ ...catalog, cache }), accessTokens: accessTokenSettings(config), logger }),
    context: createContext,
    readiness: [
      { name: 'postgres', check: () => prisma.$queryRaw`SELECT 1` },
      { name: 'redis', check: () => redis.ping() },
      { name: 'kafka', check: messaging.check },
    ],
    // Consumers first: the message in flight still writes PostgreSQL and, after its commit, Redis.
    onStop: [() => messaging.stop(), () => prisma.$disconnect(), () => pool.end(), () => redis.quit()],
  });
  // In the background, once HTTP is up: /ready says `kafka` until the consumers have joined.
  void messaging.start();
  return service;
}

if (require.main === module) runService('concert', loadConcertConfig, startConcertSubgraph);
