import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { createLogger, createPgAdapter, createRedis, type Redis } from '@ticketing/platform';
import { closeDatabases, createScratchDatabase, errorCode, gql, sql, testSystem } from '@ticketing/test-support';
import { metricsUrl, SERVICES } from '../../../infra/services';
import { PrismaClient } from '../generated/prisma';
import { getSeatMap, type SeatMapSource } from '../src/application/get-seat-map.query';
import { createPgCatalogWriter } from '../src/adapters/persistence/pg-catalog.writer';
import { createPrismaCatalogStore } from '../src/adapters/persistence/prisma-catalog.store';
import { createRedisSeatMapCache } from '../src/adapters/redis/seat-map.cache';
import { createRedlockSeatMapRebuildLock, seatMapLockKey } from '../src/adapters/redis/seat-map-rebuild.lock';
import type { SeatStatus } from '../src/domain/catalog';
import { DEMO_IDS, seedDemoCatalog } from '../src/seed';
import { bookingEventsFor, createSeatProjectionDelivery } from './seat-projection-kit';

/*
 * One file on purpose: jest runs files in parallel but a file's tests in order. The demo seed
 * needs an empty catalog, and the query and rebuild counters below are process-wide, so
 * nothing else may be talking to the concert subgraph while they are read.
 */

const env = () => testSystem().env;
const concertUrl = () => `${testSystem().serviceUrls['concert']}/graphql`;
const logger = createLogger('concert-test', 'silent');

let prisma: PrismaClient;
let messagingPool: Pool | undefined;
let readPool: Pool;
/** A pg pool on the run's database, as the concert process's consumer has. */
const pool = () => (messagingPool ??= new Pool({ connectionString: env()['CONCERT_DATABASE_URL'], max: 2 }));
const redisClients: Redis[] = [];
const redis = () => {
  const client = createRedis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379', env()['REDIS_KEY_PREFIX']);
  redisClients.push(client);
  return client;
};

beforeAll(() => {
  // Reads on a pool of their own, as small as before, so this file's writers never wait on its readers.
  readPool = new Pool({ connectionString: env()['CONCERT_DATABASE_URL'], max: 3 });
  prisma = new PrismaClient({ adapter: createPgAdapter(readPool), errorFormat: 'minimal' });
});

afterAll(async () => {
  await prisma.$disconnect();
  await readPool.end();
  await messagingPool?.end();
  for (const client of redisClients) client.disconnect();
  await closeDatabases();
});

interface SeatSpec {
  section: string;
  row: string;
  number: number;
  price?: number;
  status?: SeatStatus;
}

const grid = (sections: string[], rows: number, perRow: number): SeatSpec[] =>
  sections.flatMap((section) =>
    Array.from({ length: rows }, (_, r) => Array.from({ length: perRow }, (_, n) => ({ section, row: String(r + 1), number: n + 1 }))).flat(),
  );

/** A concert with one schedule and the given seats, written straight into this run's database. */
async function insertCatalog(options: { seats?: SeatSpec[]; createdAt?: Date; title?: string } = {}) {
  const concertId = randomUUID();
  const scheduleId = randomUUID();
  await sql('concert', 'INSERT INTO concerts (id, title, artist, venue, created_at) VALUES ($1, $2, $3, $4, $5)', [
    concertId,
    options.title ?? `Concert ${concertId.slice(0, 8)}`,
    'Test Artist',
    'Test Hall',
    options.createdAt ?? new Date(),
  ]);
  await sql('concert', 'INSERT INTO schedules (id, concert_id, starts_at, booking_opens_at) VALUES ($1, $2, $3, $4)', [
    scheduleId,
    concertId,
    new Date('2031-06-01T10:00:00.000Z'),
    new Date('2031-05-01T01:00:00.000Z'),
  ]);
  const seats = options.seats ?? [];
  const rows = await sql<{ id: string; section: string; row: string; number: number }>(
    'concert',
    `INSERT INTO seats (schedule_id, section, row, number, price, status)
     SELECT $1, s, r, n, p, st::"SeatStatus" FROM unnest($2::text[], $3::text[], $4::int[], $5::int[], $6::text[]) AS t(s, r, n, p, st)
     RETURNING id, section, row, number`,
    [
      scheduleId,
      seats.map((s) => s.section),
      seats.map((s) => s.row),
      seats.map((s) => s.number),
      seats.map((s) => s.price ?? 99_000),
      seats.map((s) => s.status ?? 'AVAILABLE'),
    ],
  );
  const seatId = (section: string, row: string, number: number) =>
    rows.find((s) => s.section === section && s.row === row && s.number === number)!.id;
  return { concertId, scheduleId, seatIds: rows.map((s) => s.id), seatId };
}

/** A counter from the concert subgraph's own /metrics. */
async function counter(name: string): Promise<number> {
  const text = await (await fetch(metricsUrl(SERVICES.find((s) => s.name === 'concert')!, testSystem().env))).text();
  const match = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\d+)$`, 'm').exec(text);
  if (!match) throw new Error(`${name} is not exposed on /metrics`);
  return Number(match[1]);
}

const SEATS = `query Seats($id: ID!, $status: SeatStatus) {
  schedule(id: $id) { id availableSeatCount seats(status: $status) { id section row number price status } }
}`;
type SeatsData = {
  schedule: { id: string; availableSeatCount: number; seats: Array<{ id: string; section: string; row: string; number: number; status: SeatStatus }> } | null;
};

describe('the demo catalog', () => {
  it('is created once in an empty catalog, with schedules open now and later, and is not created twice', async () => {
    // Other suites add concerts to the run's database concurrently: the empty case gets its own.
    const scratch = await createScratchDatabase('concert');
    const empty = new Pool({ connectionString: scratch.url, max: 2 });
    try {
      expect(await seedDemoCatalog(createPgCatalogWriter(empty), new Date())).toBe('created');
      expect(await seedDemoCatalog(createPgCatalogWriter(empty), new Date())).toBe('exists');
      const { rows } = await empty.query(
        'SELECT (SELECT count(*) FROM concerts)::int AS concerts, (SELECT count(*) FROM schedules)::int AS schedules, (SELECT count(*) FROM seats)::int AS seats',
      );
      expect(rows[0]).toEqual({ concerts: 2, schedules: 4, seats: 480 });
    } finally {
      await empty.end();
      await scratch.drop();
    }
  });

  it('is in every fresh system (seeded like npm start) and served through the gateway', async () => {
    const now = new Date();
    expect(await seedDemoCatalog(createPgCatalogWriter(pool()), now)).toBe('exists');

    const response = await gql<{ concert: { title: string; schedules: Array<{ id: string; bookingOpensAt: string; availableSeatCount: number }> } }>(
      'query Demo($id: ID!) { concert(id: $id) { title schedules { id bookingOpensAt availableSeatCount } } }',
      { id: DEMO_IDS.concerts.midnightAurora },
    );
    expect(response.errors).toBeUndefined();
    const schedules = response.data!.concert.schedules;
    expect(schedules.map((s) => s.id)).toEqual([DEMO_IDS.schedules.midnightAuroraNight1, DEMO_IDS.schedules.midnightAuroraNight2]);
    expect(schedules.every((s) => s.availableSeatCount >= 100)).toBe(true);
    expect(new Date(schedules[0]!.bookingOpensAt).getTime()).toBeLessThan(now.getTime());
    expect(new Date(schedules[1]!.bookingOpensAt).getTime()).toBeGreaterThan(now.getTime());
  });
});

describe('browsing the catalog through the gateway', () => {
  const CONCERTS = `query Concerts($first: Int, $after: String) {
    concerts(first: $first, after: $after) { nodes { id title } pageInfo { hasNextPage endCursor } }
  }`;
  type ConcertsData = { concerts: { nodes: Array<{ id: string; title: string }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } } };

  it('pages through every concert newest first, each exactly once, ties broken by id', async () => {
    // Far-future creation times make these the newest concerts; two share one instant.
    const base = Date.parse('2999-01-01T00:00:00.000Z');
    const mine = [];
    for (const offset of [0, 1000, 2000, 2000, 3000]) mine.push(await insertCatalog({ createdAt: new Date(base + offset) }));
    const [tieA, tieB] = [mine[2]!.concertId, mine[3]!.concertId].sort().reverse();
    const expectedOrder = [mine[4]!.concertId, tieA, tieB, mine[1]!.concertId, mine[0]!.concertId];

    const pages: ConcertsData['concerts'][] = [];
    let after: string | null = null;
    do {
      const response: Awaited<ReturnType<typeof gql<ConcertsData>>> = await gql<ConcertsData>(CONCERTS, { first: 2, after });
      expect(response.errors).toBeUndefined();
      pages.push(response.data!.concerts);
      after = response.data!.concerts.pageInfo.endCursor;
    } while (pages[pages.length - 1]!.pageInfo.hasNextPage);

    const seen = pages.flatMap((page) => page.nodes.map((node) => node.id));
    const [{ count }] = (await sql<{ count: number }>('concert', 'SELECT count(*)::int AS count FROM concerts')) as [{ count: number }];
    expect(seen).toHaveLength(count);
    expect(new Set(seen).size).toBe(count);
    expect(seen.slice(0, 5)).toEqual(expectedOrder);
    expect(pages.slice(0, -1).every((page) => page.nodes.length === 2 && page.pageInfo.hasNextPage)).toBe(true);
  });

  it('returns 20 concerts by default and an empty last page after the end', async () => {
    for (let i = 0; i < 21; i += 1) await insertCatalog();

    const first = await gql<ConcertsData>(CONCERTS);
    expect(first.data?.concerts.nodes).toHaveLength(20);
    expect(first.data?.concerts.pageInfo.hasNextPage).toBe(true);

    // Other files share the run's catalog (every schedule fixture makes a concert): page to the end, however far.
    let last = (await gql<ConcertsData>(CONCERTS, { first: 100 })).data!.concerts;
    for (let pages = 1; last.pageInfo.hasNextPage && pages < 100; pages += 1) {
      last = (await gql<ConcertsData>(CONCERTS, { first: 100, after: last.pageInfo.endCursor })).data!.concerts;
    }
    expect(last.pageInfo.hasNextPage).toBe(false);
    const after = await gql<ConcertsData>(CONCERTS, { first: 5, after: last.pageInfo.endCursor });
    expect(after.data?.concerts).toEqual({ nodes: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });

  it.each([
    ['first = 0', { first: 0 }, 'first'],
    ['first = 101', { first: 101 }, 'first'],
    ['first < 0', { first: -5 }, 'first'],
    ['a made-up cursor', { after: 'page-2' }, 'after'],
    ['a tampered cursor', { after: Buffer.from('2030-01-01T00:00:00.000Z|1 OR 1=1').toString('base64url') }, 'after'],
  ])('refuses %s with BAD_USER_INPUT', async (_case, variables, field) => {
    const response = await gql(CONCERTS, variables);

    expect(errorCode(response)).toBe('BAD_USER_INPUT');
    expect(response.errors?.[0]?.extensions?.['field']).toBe(field);
    expect(response.data).toBeNull();
  });

  it('answers unknown and malformed ids with null, not an error', async () => {
    const response = await gql<{ a: null; b: null; c: null; d: null }>(
      'query Unknown($uuid: ID!) { a: concert(id: $uuid) { id } b: concert(id: "42") { id } c: schedule(id: $uuid) { id } d: schedule(id: "x\' OR 1=1") { id } }',
      { uuid: randomUUID() },
    );

    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ a: null, b: null, c: null, d: null });
  });

  it('shows a concert with its schedules, their dates and the seats ordered by section, row and number', async () => {
    const { concertId, scheduleId } = await insertCatalog({
      title: 'Ordered Seats',
      seats: [
        { section: 'B', row: '1', number: 1, price: 132_000 },
        { section: 'A', row: '10', number: 1, price: 165_000 },
        { section: 'A', row: '2', number: 2, price: 165_000 },
        { section: 'A', row: '2', number: 1, price: 165_000 },
      ],
    });

    // Two reads, as a client does: the concert page, then one schedule's seat map. All seat maps of
    // a concert in one document would cost schedules × seats and is refused by the query cost limit.
    const response = await gql<{
      concert: { id: string; title: string; schedules: Array<{ id: string; startsAt: string; bookingOpensAt: string; concert: { id: string } }> };
    }>(`query Concert($id: ID!) { concert(id: $id) { id title schedules { id startsAt bookingOpensAt concert { id } } } }`, {
      id: concertId.toUpperCase(),
    });
    const seatMap = await gql<{ schedule: { seats: Array<{ section: string; row: string; number: number; price: number; schedule: { id: string } }> } }>(
      `query SeatMap($id: ID!) { schedule(id: $id) { seats { section row number price schedule { id } } } }`,
      { id: scheduleId },
    );

    expect(response.errors).toBeUndefined();
    expect(seatMap.errors).toBeUndefined();
    const [schedule] = response.data!.concert.schedules;
    const { seats } = seatMap.data!.schedule;
    expect(response.data!.concert.title).toBe('Ordered Seats');
    expect(schedule).toMatchObject({
      id: scheduleId,
      startsAt: '2031-06-01T10:00:00.000Z',
      bookingOpensAt: '2031-05-01T01:00:00.000Z',
      concert: { id: concertId },
    });
    expect(seats.map((s) => `${s.section}-${s.row}-${s.number}:${s.price}`)).toEqual([
      'A-2-1:165000',
      'A-2-2:165000',
      'A-10-1:165000',
      'B-1-1:132000',
    ]);
    expect(seats.every((s) => s.schedule.id === scheduleId)).toBe(true);
  });

  it('filters seats by status and counts only AVAILABLE seats', async () => {
    const { scheduleId } = await insertCatalog({
      seats: [
        { section: 'A', row: '1', number: 1, status: 'SOLD' },
        { section: 'A', row: '1', number: 2, status: 'HELD' },
        { section: 'A', row: '1', number: 3 },
        { section: 'A', row: '1', number: 4 },
        { section: 'A', row: '1', number: 5, status: 'HELD' },
      ],
    });
    const numbers = async (status: SeatStatus | null) => {
      const response = await gql<SeatsData>(SEATS, { id: scheduleId, status });
      expect(response.errors).toBeUndefined();
      return { count: response.data!.schedule!.availableSeatCount, numbers: response.data!.schedule!.seats.map((s) => s.number) };
    };

    expect(await numbers(null)).toEqual({ count: 2, numbers: [1, 2, 3, 4, 5] });
    expect(await numbers('AVAILABLE')).toEqual({ count: 2, numbers: [3, 4] });
    expect(await numbers('HELD')).toEqual({ count: 2, numbers: [2, 5] });
    expect(await numbers('SOLD')).toEqual({ count: 2, numbers: [1] });
  });

  it('refuses a negative price and a duplicate seat in the database itself', async () => {
    const { scheduleId } = await insertCatalog({ seats: [{ section: 'A', row: '1', number: 1 }] });
    const insert = (price: number, number: number) =>
      sql('concert', 'INSERT INTO seats (schedule_id, section, row, number, price) VALUES ($1, $2, $3, $4, $5)', [scheduleId, 'A', '1', number, price]);

    await expect(insert(-1, 2)).rejects.toThrow(/seats_price_check/);
    await expect(insert(1000, 1)).rejects.toThrow(/seats_schedule_id_section_row_number_key/);
  });

  it("serves a schedule's cap on seats per fan: 4 unless set, and only 1 to 10 in the database itself", async () => {
    const { scheduleId } = await insertCatalog();
    const cap = async () =>
      (await gql<{ schedule: { maxSeatsPerFan: number } | null }>('query Cap($id: ID!) { schedule(id: $id) { maxSeatsPerFan } }', { id: scheduleId })).data
        ?.schedule?.maxSeatsPerFan;
    const setCap = (n: number) => sql('concert', 'UPDATE schedules SET max_seats_per_fan = $2 WHERE id = $1', [scheduleId, n]);

    expect(await cap()).toBe(4);
    await expect(setCap(0)).rejects.toThrow(/schedules_max_seats_per_fan_check/);
    await expect(setCap(11)).rejects.toThrow(/schedules_max_seats_per_fan_check/);
    await setCap(2);
    expect(await cap()).toBe(2);
  });
});

describe('federation entity references', () => {
  const ENTITIES = `query Entities($representations: [_Any!]!) {
    _entities(representations: $representations) {
      ... on Seat { id section row number price status }
      ... on Schedule { id startsAt }
      ... on Concert { id title }
    }
  }`;
  type EntitiesData = { _entities: Array<{ id: string } | null> };

  /**
   * SQL statements one operation costs, sent straight to the subgraph as the gateway would.
   * Only other traffic could add statements, never remove them, so the least of three tries is
   * the operation's own cost even if something else touches the subgraph meanwhile.
   */
  async function statementsFor(representations: unknown[]) {
    let least = Number.POSITIVE_INFINITY;
    let response: Awaited<ReturnType<typeof gql<EntitiesData>>> | undefined;
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const before = await counter('concert_db_queries_total');
      response = await gql<EntitiesData>(ENTITIES, { representations }, { url: concertUrl() });
      least = Math.min(least, (await counter('concert_db_queries_total')) - before);
    }
    return { statements: least, response: response! };
  }

  it('resolves 50 Seat references, plus unknown and malformed ones, with ONE SQL statement', async () => {
    const { seatIds } = await insertCatalog({ seats: grid(['A', 'B'], 5, 5) });
    const representations = [
      ...seatIds.map((id) => ({ __typename: 'Seat', id })),
      { __typename: 'Seat', id: randomUUID() },
      { __typename: 'Seat', id: 'not-a-uuid' },
    ];

    const { statements, response } = await statementsFor(representations);

    expect(response.errors).toBeUndefined();
    expect(response.data!._entities.slice(0, 50).map((entity) => entity?.id)).toEqual(seatIds);
    expect(response.data!._entities.slice(50)).toEqual([null, null]);
    expect(statements).toBe(1);
  });

  it('resolves Schedule and Concert references in one statement per type', async () => {
    const catalogs = await Promise.all(Array.from({ length: 10 }, () => insertCatalog()));
    const representations = catalogs.flatMap((c) => [
      { __typename: 'Schedule', id: c.scheduleId },
      { __typename: 'Concert', id: c.concertId },
    ]);

    const { statements, response } = await statementsFor(representations);

    expect(response.errors).toBeUndefined();
    expect(response.data!._entities.map((entity) => entity?.id)).toEqual(catalogs.flatMap((c) => [c.scheduleId, c.concertId]));
    expect(statements).toBe(2);
  });
});

describe('the seat-map cache', () => {
  it('serves seats from Redis, and a status change updates the cached map in place instead of forcing a rebuild', async () => {
    const { scheduleId, seatId } = await insertCatalog({ seats: grid(['A'], 1, 3) });
    const statuses = async () => {
      const response = await gql<SeatsData>(SEATS, { id: scheduleId });
      expect(response.errors).toBeUndefined();
      return { available: response.data!.schedule!.availableSeatCount, statuses: response.data!.schedule!.seats.map((s) => s.status) };
    };
    expect(await statuses()).toEqual({ available: 3, statuses: ['AVAILABLE', 'AVAILABLE', 'AVAILABLE'] });
    const rebuildsBefore = await counter('seat_map_rebuilds_total');

    // Written behind the cache's back: the cached map still answers.
    await sql('concert', `UPDATE seats SET status = 'SOLD' WHERE id = $1`, [seatId('A', '1', 1)]);
    expect(await statuses()).toEqual({ available: 3, statuses: ['AVAILABLE', 'AVAILABLE', 'AVAILABLE'] });

    // The projection path: the change commits, then the cached map takes it; the next read is a hit.
    const delivery = createSeatProjectionDelivery({ pool: pool(), redis: redis(), keyPrefix: env()['REDIS_KEY_PREFIX']! });
    try {
      const held = bookingEventsFor(scheduleId).held([seatId('A', '1', 3)], 1);
      expect(await delivery.deliver(held)).toBe('handled');
      expect(await delivery.deliver(held)).toBe('duplicate');
    } finally {
      await delivery.close();
    }

    // Seat 1 still shows the cached AVAILABLE: nothing was rebuilt, only seat 3 moved.
    expect(await statuses()).toEqual({ available: 2, statuses: ['AVAILABLE', 'AVAILABLE', 'HELD'] });
    expect((await counter('seat_map_rebuilds_total')) - rebuildsBefore).toBe(0);
    const [row] = await sql<{ status_sequence: string }>('concert', 'SELECT status_sequence FROM seats WHERE id = $1', [seatId('A', '1', 3)]);
    expect(row?.status_sequence).toBe('1');

    // A rebuild (here forced by an invalidation) reads PostgreSQL again, the write behind the back included.
    await createRedisSeatMapCache(redis(), { ttlSeconds: 30, logger }).invalidate([scheduleId]);
    expect(await statuses()).toEqual({ available: 1, statuses: ['SOLD', 'AVAILABLE', 'HELD'] });
    expect((await counter('seat_map_rebuilds_total')) - rebuildsBefore).toBe(1);
  });

  it('rebuilds a cold seat map exactly once for 50 concurrent readers through the gateway', async () => {
    const { scheduleId } = await insertCatalog({ seats: grid(['A', 'B', 'C'], 4, 10) });
    const before = await counter('seat_map_rebuilds_total');

    const responses = await Promise.all(Array.from({ length: 50 }, () => gql<SeatsData>(SEATS, { id: scheduleId })));

    expect(responses.every((r) => r.errors === undefined && r.data?.schedule?.seats.length === 120)).toBe(true);
    expect((await counter('seat_map_rebuilds_total')) - before).toBe(1);
  });

  it('lets one of five instances rebuild while the others wait for its result (real Redis and PostgreSQL)', async () => {
    const { scheduleId } = await insertCatalog({ seats: grid(['A', 'B'], 5, 10) });
    const store = createPrismaCatalogStore(prisma);
    let databaseReads = 0;
    const sources: SeatMapSource[] = [];
    // Five "instances": each has its own Redis connection, lock client and in-process state.
    const instances = Array.from({ length: 5 }, () => {
      const client = redis();
      return getSeatMap({
        store: {
          findSeatsOfSchedule: async (id) => {
            databaseReads += 1;
            // Slow enough that every instance misses the cache and contends for the lock.
            await new Promise((resolve) => setTimeout(resolve, 150));
            return store.findSeatsOfSchedule(id);
          },
        },
        cache: createRedisSeatMapCache(client, { ttlSeconds: 30, logger }),
        lock: createRedlockSeatMapRebuildLock(client, { ttlMs: 3_000, logger }),
        observe: (source) => sources.push(source),
      });
    });

    const maps = await Promise.all(instances.flatMap((seatMap) => Array.from({ length: 10 }, () => seatMap(scheduleId))));

    expect(databaseReads).toBe(1);
    // One answer per instance (its ten callers share it): one rebuilt, the rest from the cache.
    expect(sources.filter((source) => source === 'rebuild')).toHaveLength(1);
    expect(sources.filter((source) => source === 'waited' || source === 'cache')).toHaveLength(4);
    expect(maps.every((map) => map.seats.length === 100)).toBe(true);
    for (const map of maps) expect(map.seats).toEqual(maps[0]!.seats);
    expect(await redis().exists(seatMapLockKey(scheduleId))).toBe(0);
  });
});
