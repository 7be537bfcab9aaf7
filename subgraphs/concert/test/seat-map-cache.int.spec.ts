import { randomInt, randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import type { KnownEvent } from '@ticketing/contracts';
import { createPgAdapter, createRedis, HASH_EXPIRY_FIELD, type Redis } from '@ticketing/platform';
import { closeDatabases, openSchedule, redisCommandCounter, sql, testSystem } from '@ticketing/test-support';
import { PrismaClient } from '../generated/prisma';
import { getSeatMap, type SeatMapSource } from '../src/application/get-seat-map.query';
import type { CatalogStore } from '../src/application/ports';
import { createPrismaCatalogStore } from '../src/adapters/persistence/prisma-catalog.store';
import { createRedisSeatMapCache, seatMapKey, seatMapStatusesKey } from '../src/adapters/redis/seat-map.cache';
import { createRedlockSeatMapRebuildLock } from '../src/adapters/redis/seat-map-rebuild.lock';
import type { SeatStatus } from '../src/domain/catalog';
import { bookingEventsFor, createSeatProjectionDelivery, eventually, listenToSeatChanges, logger, redisUrl } from './seat-projection-kit';

/*
 * The seat-map cache against real Redis and PostgreSQL, through the projection's own after-commit
 * step: what it costs Redis (counted by Redis itself, with MONITOR, never timed) and whether its
 * statuses end equal to PostgreSQL's whatever order changes and rebuilds interleave in.
 */

const env = () => testSystem().env;

let pool: Pool;
let prisma: PrismaClient;
const clients: Array<{ disconnect: () => void }> = [];
const closers: Array<() => Promise<void>> = [];

beforeAll(() => {
  pool = new Pool({ connectionString: env()['CONCERT_DATABASE_URL'], max: 8 });
  prisma = new PrismaClient({ adapter: createPgAdapter(pool), errorFormat: 'minimal' });
});

afterAll(async () => {
  for (const close of closers.splice(0)) await close();
  for (const client of clients.splice(0)) client.disconnect();
  await prisma?.$disconnect();
  await pool?.end();
  await closeDatabases();
});

const connect = (keyPrefix: string) => {
  const client = createRedis(redisUrl(), keyPrefix);
  clients.push(client);
  return client;
};

/** One concert instance's seat-map side: its own Redis connection, cache, lock, reader and projection consumer. */
function instance(options: { keyPrefix?: string; store?: (real: CatalogStore) => Pick<CatalogStore, 'findSeatsOfSchedule'> } = {}) {
  const keyPrefix = options.keyPrefix ?? env()['REDIS_KEY_PREFIX']!;
  const redis = connect(keyPrefix);
  const real = createPrismaCatalogStore(prisma);
  const sources: SeatMapSource[] = [];
  const cache = createRedisSeatMapCache(redis, { ttlSeconds: 30, logger });
  const seatMap = getSeatMap({
    store: options.store?.(real) ?? real,
    cache,
    lock: createRedlockSeatMapRebuildLock(redis, { ttlMs: 3_000, logger }),
    observe: (source) => sources.push(source),
  });
  const delivery = createSeatProjectionDelivery({ pool, redis, keyPrefix });
  closers.push(() => delivery.close());
  return { redis, cache, seatMap, sources, deliver: (event: KnownEvent) => delivery.deliver(event), deliverTogether: delivery.deliverTogether };
}

/** An open schedule with `count` AVAILABLE seats in row 1 of section A, in seat-number order. */
async function scheduleWithSeats(count: number) {
  const scheduleId = await openSchedule();
  const rows = await sql<{ id: string; number: number }>(
    'concert',
    `INSERT INTO seats (schedule_id, section, row, number, price) SELECT $1, 'A', '1', n, 99000 FROM generate_series(1, $2::int) AS n RETURNING id, number`,
    [scheduleId, count],
  );
  return { scheduleId, seatIds: rows.sort((x, y) => x.number - y.number).map((row) => row.id), events: bookingEventsFor(scheduleId) };
}

/** PostgreSQL's statuses of a schedule, in the cache's form: seat id → "<STATUS>:<sequence>". */
async function databaseStatuses(scheduleId: string): Promise<Record<string, string>> {
  const rows = await sql<{ id: string; status: SeatStatus; status_sequence: string }>('concert', 'SELECT id, status, status_sequence FROM seats WHERE schedule_id = $1', [scheduleId]);
  return Object.fromEntries(rows.map((row) => [row.id, `${row.status}:${row.status_sequence}`]));
}

function shuffled<T>(items: T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

/** The cached statuses as Redis holds them, seat id → "<STATUS>:<sequence>", without the hash's own expiry field. */
async function cachedStatuses(redis: Redis, scheduleId: string): Promise<Record<string, string>> {
  const { [HASH_EXPIRY_FIELD]: _expires, ...statuses } = await redis.hgetall(seatMapStatusesKey(scheduleId));
  return statuses;
}

const statusesOf = (map: { seats: ReadonlyArray<{ id: string; status: SeatStatus }> }) => Object.fromEntries(map.seats.map((seat) => [seat.id, seat.status]));
const withoutSequences = (statuses: Record<string, string>) => Object.fromEntries(Object.entries(statuses).map(([id, entry]) => [id, entry.split(':')[0]]));

/** Counts what `work` costs Redis on `client`'s behalf (see redisCommandCounter). */
async function commandCounter(client: Redis, keyPrefix: string) {
  const counter = await redisCommandCounter(client, { url: redisUrl(), keyPrefix });
  clients.push({ disconnect: counter.close });
  return counter.count;
}

describe('what the seat-map cache costs Redis', () => {
  /*
   * Before statuses were kept apart, the same scenario measured, per change: MULTI, INCR, DEL,
   * EXEC (4) and PUBLISH; per read after it, a rebuild: MGET ×2, EVALSHA ×2 (rebuild lock and
   * release), EVAL (store), and inside them EXISTS, SET ×2, GET ×2, DEL: 11 commands, 5 round
   * trips and a PostgreSQL read of every seat. 15 cache commands per change-and-read.
   */
  it('given a warm map, when each of N status changes (1 to 4 seats) is followed by a read, then no read rebuilds: one script call per change, two commands per read', async () => {
    const keyPrefix = `${env()['REDIS_KEY_PREFIX']}cache-count-${randomUUID()}:`;
    let databaseReads = 0;
    const fan = instance({ keyPrefix, store: (real) => ({ findSeatsOfSchedule: (id) => ((databaseReads += 1), real.findSeatsOfSchedule(id)) }) });
    const { scheduleId, seatIds, events } = await scheduleWithSeats(200);
    // Every script known to Redis first (a fresh Redis would answer the first EVALSHA with NOSCRIPT).
    const warmUp = await scheduleWithSeats(1);
    await fan.seatMap(warmUp.scheduleId);
    await fan.deliver(warmUp.events.held(warmUp.seatIds, 1));
    fan.sources.length = 0;
    databaseReads = 0;
    const count = await commandCounter(fan.redis, keyPrefix);

    // Cold: one rebuild (read, lock, read again, PostgreSQL, store statuses and seats, release).
    const cold = await count(() => fan.seatMap(scheduleId));
    expect(cold.counts).toEqual({
      mget: 2,
      hgetall: 2,
      evalsha: 3,
      'lua exists': 1,
      'lua set': 2,
      'lua get': 2,
      'lua hgetall': 1,
      'lua hset': 1,
      'lua expire': 1,
      'lua del': 1,
    });
    expect(fan.sources).toEqual(['rebuild']);
    fan.sources.length = 0;
    databaseReads = 0;

    const N = 12;
    for (let i = 1; i <= N; i++) {
      const seats = seatIds.slice(i * 4, i * 4 + 1 + (i % 4));
      const change = await count(() => fan.deliver(events.held(seats, i)));
      const read = await count(() => fan.seatMap(scheduleId));

      expect(change.result).toBe('handled');
      // The after-commit step: the cache script (one round trip, two commands inside) and the seat
      // broadcast. The first change after the rebuild also moves the hash's expiry (to two TTLs on):
      // the rebuild had set one TTL, and the next TTL's changes leave it.
      const expiry = i === 1 ? { 'lua pexpire': 1 } : {};
      expect(change.counts).toEqual({ evalsha: 1, 'lua hmget': 1, 'lua hset': 1, ...expiry, publish: 1 });
      expect(await fan.redis.pttl(seatMapStatusesKey(scheduleId))).toBeGreaterThan(30_000);
      expect(read.counts).toEqual({ mget: 1, hgetall: 1 });
      expect(read.result.seats.filter((seat) => seats.includes(seat.id)).map((seat) => seat.status)).toEqual(seats.map(() => 'HELD'));
    }
    expect(fan.sources).toEqual(Array.from({ length: N }, () => 'cache'));
    expect(databaseReads).toBe(0);
  });

  it('given changes fetched together (one seat held, let go and held again among them), then the batch costs one script call and one message, and both end as the largest sequence left each seat', async () => {
    const keyPrefix = `${env()['REDIS_KEY_PREFIX']}cache-count-${randomUUID()}:`;
    const fan = instance({ keyPrefix });
    const { scheduleId, seatIds, events } = await scheduleWithSeats(4);
    const [s0, s1, s2, s3] = seatIds as [string, string, string, string];
    await fan.seatMap(scheduleId);
    await fan.deliver(events.held([s3], 10));
    const listener = await listenToSeatChanges(scheduleId, keyPrefix);
    closers.push(async () => listener.close());
    const count = await commandCounter(fan.redis, keyPrefix);
    const [first, second] = [randomUUID(), randomUUID()];

    const batch = await count(() =>
      fan.deliverTogether([events.held([s0, s1], 11, first), events.held([s2], 12), events.expired([s0, s1], 13, first), events.held([s0], 14, second)]),
    );

    expect(batch.result).toEqual(['handled', 'handled', 'handled', 'handled']);
    expect(batch.counts).toEqual({ evalsha: 1, 'lua hmget': 1, 'lua hset': 1, publish: 1 });
    const expected = { [s0]: 'HELD:14', [s1]: 'AVAILABLE:13', [s2]: 'HELD:12', [s3]: 'HELD:10' };
    expect(await databaseStatuses(scheduleId)).toEqual(expected);
    expect(await cachedStatuses(fan.redis, scheduleId)).toEqual(expected);
    await eventually(async () => listener.messages.length === 1);
    expect(listener.messages[0]!.seats.map((seat) => [seat.id, seat.status])).toEqual([
      [s0, 'HELD'],
      [s1, 'AVAILABLE'],
      [s2, 'HELD'],
    ]);
  });

  it('given a late or repeated change that PostgreSQL already refused, then the after-commit step never reaches Redis', async () => {
    const keyPrefix = `${env()['REDIS_KEY_PREFIX']}cache-count-${randomUUID()}:`;
    const fan = instance({ keyPrefix });
    const { scheduleId, seatIds, events } = await scheduleWithSeats(2);
    await fan.seatMap(scheduleId);
    await fan.deliver(events.held(seatIds, 5));
    const count = await commandCounter(fan.redis, keyPrefix);

    const late = await count(() => fan.deliver(events.expired(seatIds, 4)));

    expect(late.result).toBe('handled');
    expect(late.counts).toEqual({});
  });
});

describe('the cached statuses stay equal to PostgreSQL under concurrency', () => {
  it.each(['expired', 'invalidated'] as const)(
    'given a map that %s (seats gone; statuses kept if expired, gone too if invalidated), when a change commits and reaches Redis while the rebuild is between its PostgreSQL read and its store, then the newer status stays cached',
    async (how) => {
      const { scheduleId, seatIds, events } = await scheduleWithSeats(3);
      const [a, b] = seatIds as [string, string, string];
      const other = instance();
      let straddle: (() => Promise<void>) | null = null;
      const rebuilder = instance({
        store: (real) => ({
          findSeatsOfSchedule: async (id) => {
            const rows = await real.findSeatsOfSchedule(id);
            // The rows are read; another instance's change commits and is applied to Redis before these are stored.
            await straddle?.();
            return rows;
          },
        }),
      });
      await rebuilder.seatMap(scheduleId);
      await other.deliver(events.held([b], 1));
      if (how === 'expired') await rebuilder.redis.del(seatMapKey(scheduleId));
      else await rebuilder.cache.invalidate([scheduleId]);
      straddle = async () => {
        straddle = null;
        expect(await other.deliver(events.held([a], 2))).toBe('handled');
      };

      const rebuilt = await rebuilder.seatMap(scheduleId);

      // The rebuild answers what it read, but stores nothing older than what Redis already had.
      expect(rebuilt.seats.find((seat) => seat.id === a)?.status).toBe('AVAILABLE');
      expect(await cachedStatuses(rebuilder.redis, scheduleId)).toEqual(await databaseStatuses(scheduleId));
      expect(statusesOf(await other.seatMap(scheduleId))).toEqual({ [a]: 'HELD', [b]: 'HELD', [seatIds[2]!]: 'AVAILABLE' });
      expect(other.sources).toEqual(['cache']);
      expect(rebuilder.sources).toEqual(['rebuild', 'rebuild']);
    },
  );

  it('given two instances whose after-commit steps arrive in the opposite order of their sequences, then a seat does not move backwards', async () => {
    const { scheduleId, seatIds } = await scheduleWithSeats(2);
    const [a, b] = seatIds as [string, string];
    const first = instance();
    const second = instance();
    await first.seatMap(scheduleId);

    // Sequence 6 (a and b) is applied before sequence 5 (a), which is late; then 5 is redelivered.
    await second.cache.applyStatusChanges([{ scheduleId, seatIds: [a, b], status: 'SOLD', sequence: 6 }]);
    await first.cache.applyStatusChanges([{ scheduleId, seatIds: [a], status: 'AVAILABLE', sequence: 5 }]);
    await first.cache.applyStatusChanges([{ scheduleId, seatIds: [a], status: 'AVAILABLE', sequence: 5 }]);
    await first.cache.applyStatusChanges([{ scheduleId, seatIds: [b], status: 'HELD', sequence: 6 }]);

    expect(await cachedStatuses(first.redis, scheduleId)).toEqual({ [a]: 'SOLD:6', [b]: 'SOLD:6' });
    expect(statusesOf(await second.seatMap(scheduleId))).toEqual({ [a]: 'SOLD', [b]: 'SOLD' });
  });

  it('given two instances applying many concurrent changes of the same seats in shuffled order, with readers and forced rebuilds meanwhile, then every seat\'s cached status and sequence equal PostgreSQL\'s', async () => {
    const { scheduleId, seatIds, events } = await scheduleWithSeats(6);
    // Rebuilds that linger between reading PostgreSQL and storing, so changes land in that window.
    const lingering = (real: CatalogStore): Pick<CatalogStore, 'findSeatsOfSchedule'> => ({
      findSeatsOfSchedule: async (id) => {
        const rows = await real.findSeatsOfSchedule(id);
        await new Promise((resolve) => setTimeout(resolve, randomInt(20)));
        return rows;
      },
    });
    const [one, two, admin] = [instance({ store: lingering }), instance({ store: lingering }), instance({ store: lingering })];
    const kinds = ['held', 'confirmed', 'cancelled', 'expired'] as const;
    const changes = shuffled(Array.from({ length: 90 }, (_, i) => i + 1)).map((sequence) => {
      const seats = seatIds.filter(() => randomInt(2) === 1).slice(0, 4);
      return events[kinds[randomInt(kinds.length)]!](seats.length > 0 ? seats : [seatIds[randomInt(seatIds.length)]!], sequence);
    });
    await one.seatMap(scheduleId);

    let storming = true;
    const readers = Promise.all(
      [one, two].flatMap((fan) =>
        Array.from({ length: 2 }, async () => {
          while (storming) await fan.seatMap(scheduleId);
        }),
      ),
    );
    // Forced rebuilds all through the storm, each waited for: the seats expire, or the map is invalidated.
    let forced = 0;
    const forcing = (async () => {
      while (storming) {
        if (forced++ % 2 === 0) await admin.redis.del(seatMapKey(scheduleId));
        else await admin.cache.invalidate([scheduleId]);
        await admin.seatMap(scheduleId);
      }
    })();
    const outcomes = await Promise.all(changes.map((event, i) => (i % 2 === 0 ? one : two).deliver(event))).finally(() => (storming = false));
    await Promise.all([readers, forcing]);

    expect(outcomes.every((outcome) => outcome === 'handled')).toBe(true);
    const rebuilds = [one, two, admin].flatMap((fan) => fan.sources).filter((source) => source === 'rebuild').length;
    expect(rebuilds).toBeGreaterThanOrEqual(2);
    expect(admin.sources.filter((source) => source === 'fallback')).toEqual([]);
    // The invariant, read from Redis as the storm left it: the last forced rebuild stored its map, none came after.
    expect(await one.redis.exists(seatMapKey(scheduleId))).toBe(1);
    const expected = await databaseStatuses(scheduleId);
    expect(Object.keys(expected)).toHaveLength(seatIds.length);
    expect(await cachedStatuses(one.redis, scheduleId)).toEqual(expected);
    one.sources.length = 0;
    two.sources.length = 0;
    for (const fan of [one, two]) expect(statusesOf(await fan.seatMap(scheduleId))).toEqual(withoutSequences(expected));
    expect([...one.sources, ...two.sources]).toEqual(['cache', 'cache']);
  });
});
