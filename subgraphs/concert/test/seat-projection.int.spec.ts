import { randomInt, randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { deadLetterTopicFor, topicFor, type KnownEvent } from '@ticketing/contracts';
import { createDeadLetters, DLQ_HEADERS } from '@ticketing/messaging';
import { createPgAdapter, createRedis, type Redis } from '@ticketing/platform';
import { closeDatabases, openSchedule, sql, testSystem } from '@ticketing/test-support';
import { PrismaClient } from '../generated/prisma';
import { getSeatMap } from '../src/application/get-seat-map.query';
import { SEAT_PROJECTION_CONSUMER } from '../src/adapters/messaging/seat-projection.consumer';
import { createPgSeatStatusProjection } from '../src/adapters/persistence/pg-seat-status.projection';
import { createPrismaCatalogStore } from '../src/adapters/persistence/prisma-catalog.store';
import { createRedisSeatMapCache } from '../src/adapters/redis/seat-map.cache';
import { createRedlockSeatMapRebuildLock } from '../src/adapters/redis/seat-map-rebuild.lock';
import type { SeatStatus } from '../src/domain/catalog';
import { bookingEventsFor, createSeatProjectionDelivery, eventually, listenToSeatChanges, logger, redisUrl } from './seat-projection-kit';

/*
 * Seat statuses read back the way the subgraph serves them: through the seat-map cache module
 * (Redis, then PostgreSQL on a miss), in this process, so the concert process's own query and
 * rebuild counters (catalog.int.spec) see none of this traffic.
 */

const env = () => testSystem().env;
const keyPrefix = () => env()['REDIS_KEY_PREFIX']!;

let pool: Pool;
let prisma: PrismaClient;
let redis: Redis;
let delivery: ReturnType<typeof createSeatProjectionDelivery>;
let seatMap: ReturnType<typeof getSeatMap>;
const listeners: Array<{ close: () => void }> = [];

beforeAll(() => {
  pool = new Pool({ connectionString: env()['CONCERT_DATABASE_URL'], max: 10 });
  prisma = new PrismaClient({ adapter: createPgAdapter(pool), errorFormat: 'minimal' });
  redis = createRedis(redisUrl(), keyPrefix());
  delivery = createSeatProjectionDelivery({ pool, redis, keyPrefix: keyPrefix() });
  seatMap = getSeatMap({
    store: createPrismaCatalogStore(prisma),
    cache: createRedisSeatMapCache(redis, { ttlSeconds: 30, logger }),
    lock: createRedlockSeatMapRebuildLock(redis, { ttlMs: 3_000, logger }),
  });
});

afterAll(async () => {
  for (const listener of listeners.splice(0)) listener.close();
  await delivery?.close();
  redis?.disconnect();
  await prisma?.$disconnect();
  await pool?.end();
  await closeDatabases();
});

/** An open schedule with `count` AVAILABLE seats in row 1 of section A, numbered from 1 (ids in that order). */
async function scheduleWithSeats(count: number) {
  const scheduleId = await openSchedule();
  const rows = await sql<{ id: string; number: number }>(
    'concert',
    `INSERT INTO seats (schedule_id, section, row, number, price) SELECT $1, 'A', '1', n, 99000 FROM generate_series(1, $2::int) AS n RETURNING id, number`,
    [scheduleId, count],
  );
  // In seat-number order, the order seat maps and seat messages list them in.
  const seatIds = rows.sort((x, y) => x.number - y.number).map((row) => row.id);
  return { scheduleId, seatIds, events: bookingEventsFor(scheduleId) };
}

/** Status per seat id, read through the seat-map cache. */
async function statuses(scheduleId: string): Promise<Record<string, SeatStatus>> {
  const map = await seatMap(scheduleId);
  return Object.fromEntries(map.seats.map((seat) => [seat.id, seat.status]));
}

async function sequences(seatIds: string[]): Promise<Record<string, number>> {
  const rows = await sql<{ id: string; status_sequence: string }>('concert', 'SELECT id, status_sequence FROM seats WHERE id = ANY($1::uuid[])', [seatIds]);
  return Object.fromEntries(rows.map((row) => [row.id, Number(row.status_sequence)]));
}

function shuffled<T>(items: T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

async function listen(scheduleId: string) {
  const listener = await listenToSeatChanges(scheduleId, keyPrefix());
  listeners.push(listener);
  return listener;
}

describe('the seat projection follows the booking saga', () => {
  it('holds, sells and releases seats as the events say, and the cached seat map shows each change right after the handler', async () => {
    const { scheduleId, seatIds, events } = await scheduleWithSeats(4);
    const [a, b, c, d] = seatIds as [string, string, string, string];
    // A warm cache: every step below must be visible through it, not only in PostgreSQL.
    expect(Object.values(await statuses(scheduleId))).toEqual(['AVAILABLE', 'AVAILABLE', 'AVAILABLE', 'AVAILABLE']);

    const steps: Array<[KnownEvent, Record<string, SeatStatus>]> = [
      [events.held([a, b], 1), { [a]: 'HELD', [b]: 'HELD', [c]: 'AVAILABLE', [d]: 'AVAILABLE' }],
      [events.confirmed([a, b], 2), { [a]: 'SOLD', [b]: 'SOLD', [c]: 'AVAILABLE', [d]: 'AVAILABLE' }],
      [events.held([c], 3), { [a]: 'SOLD', [b]: 'SOLD', [c]: 'HELD', [d]: 'AVAILABLE' }],
      [events.expired([c], 4), { [a]: 'SOLD', [b]: 'SOLD', [c]: 'AVAILABLE', [d]: 'AVAILABLE' }],
      [events.held([d], 5), { [a]: 'SOLD', [b]: 'SOLD', [c]: 'AVAILABLE', [d]: 'HELD' }],
      [events.cancelled([d], 6), { [a]: 'SOLD', [b]: 'SOLD', [c]: 'AVAILABLE', [d]: 'AVAILABLE' }],
    ];
    for (const [event, expected] of steps) {
      expect(await delivery.deliver(event)).toBe('handled');
      expect(await statuses(scheduleId)).toEqual(expected);
    }
    expect(await sequences(seatIds)).toEqual({ [a]: 2, [b]: 2, [c]: 4, [d]: 6 });
  });

  it('acknowledges events that move no seat (PaymentRequested) without a transaction and changes nothing', async () => {
    const { scheduleId, seatIds, events } = await scheduleWithSeats(1);
    const seats = await listen(scheduleId);
    const event = events.paymentRequested();

    expect(await delivery.deliver(event)).toBe('ignored');

    const inbox = await sql('concert', 'SELECT 1 FROM inbox WHERE event_id = $1 AND consumer = $2', [event.eventId, SEAT_PROJECTION_CONSUMER]);
    expect(inbox).toHaveLength(0);
    expect(await sequences(seatIds)).toEqual({ [seatIds[0]!]: 0 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(seats.messages).toEqual([]);
  });

  it('given a release that arrives after a newer hold of the same seat, then the hold stays and nobody hears of the stale release', async () => {
    const { scheduleId, seatIds, events } = await scheduleWithSeats(2);
    const [a, b] = seatIds as [string, string];
    const seats = await listen(scheduleId);
    // Booking 1 held a and b (5) and expired (6); booking 2 then held a (7). Its event overtakes
    // booking 1's expiry, which travels on another partition.
    await delivery.deliver(events.held([a, b], 5));
    await delivery.deliver(events.held([a], 7));

    expect(await delivery.deliver(events.expired([a, b], 6))).toBe('handled');

    expect(await statuses(scheduleId)).toEqual({ [a]: 'HELD', [b]: 'AVAILABLE' });
    expect(await sequences(seatIds)).toEqual({ [a]: 7, [b]: 6 });
    // The late release is published for b only: a did not change.
    const lastMessage = await eventually(async () => (seats.messages.length === 3 ? seats.messages[2] : undefined), 5_000, 'three seat messages');
    expect(lastMessage.seats.map((seat) => [seat.id, seat.status])).toEqual([[b, 'AVAILABLE']]);
  });

  it('given the same event delivered twice, then it has one effect and one publish', async () => {
    const { scheduleId, seatIds, events } = await scheduleWithSeats(2);
    const seats = await listen(scheduleId);
    const held = events.held(seatIds, 3);

    expect(await delivery.deliver(held)).toBe('handled');
    expect(await delivery.deliver(held)).toBe('duplicate');

    expect(await statuses(scheduleId)).toEqual({ [seatIds[0]!]: 'HELD', [seatIds[1]!]: 'HELD' });
    expect((await sql('concert', 'SELECT 1 FROM inbox WHERE event_id = $1', [held.eventId])).length).toBe(1);
    await eventually(async () => (seats.messages.length > 0 ? true : undefined), 5_000, 'the seat message');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(seats.messages).toHaveLength(1);
  });

  it('publishes the changed seats, whole, on the schedule channel once the change is committed', async () => {
    const { scheduleId, seatIds, events } = await scheduleWithSeats(3);
    const [a, b, c] = seatIds as [string, string, string];
    await delivery.deliver(events.held([c], 9));
    const seats = await listen(scheduleId);

    // c already carries a newer change (9): only a and b take this one.
    await delivery.deliver(events.confirmed([a, b, c], 8));

    const message = await eventually(async () => seats.messages[0], 5_000, 'the seat message');
    expect(seats.malformed).toEqual([]);
    expect(message.scheduleId).toBe(scheduleId);
    const numberOf = (id: string) => (id === a ? 1 : 2);
    expect(message.seats).toEqual([a, b].map((id) => ({ id, section: 'A', row: '1', number: numberOf(id), price: 99_000, status: 'SOLD' })));
    expect(Math.abs(Date.parse(message.at) - Date.now())).toBeLessThan(10_000);
  });

  it('given a reader rebuilding the seat map while the change is not yet committed, then the stale map it stores does not outlive the commit', async () => {
    const { scheduleId, seatIds, events } = await scheduleWithSeats(1);
    const [a] = seatIds as [string];
    const seen: Array<Record<string, SeatStatus>> = [];

    await delivery.deliver(events.held([a], 1), {
      handle: async (event, tx) => {
        const afterCommit = await delivery.spec.handle(event, tx);
        // Another connection, before the commit: it reads AVAILABLE and caches that map.
        seen.push(await statuses(scheduleId));
        return afterCommit;
      },
    });

    expect(seen).toEqual([{ [a]: 'AVAILABLE' }]);
    expect(await statuses(scheduleId)).toEqual({ [a]: 'HELD' });
  });

  it('given a change of three seats, then the projection writes it in one statement and answers the seats it changed; a stale one changes none', async () => {
    const { scheduleId, seatIds } = await scheduleWithSeats(3);
    const client = await pool.connect();
    const sent: string[] = [];
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    const counting = Object.assign(Object.create(client) as typeof client, {
      query: (...args: unknown[]) => {
        sent.push(String(typeof args[0] === 'string' ? args[0] : (args[0] as { text: string }).text).trim().split(/\s+/)[0]!);
        return query(...args);
      },
    });
    try {
      const projection = createPgSeatStatusProjection(counting);
      const changed = await projection.apply({ scheduleId, seatIds, status: 'HELD', sequence: 7 });
      expect(changed.map((seat) => [seat.id, seat.status]).sort()).toEqual(seatIds.map((id) => [id, 'HELD']).sort());
      expect(await projection.apply({ scheduleId, seatIds, status: 'AVAILABLE', sequence: 6 })).toEqual([]);
      expect(sent).toEqual(['WITH', 'WITH']);
    } finally {
      client.release();
    }
    expect(await sequences(seatIds)).toEqual(Object.fromEntries(seatIds.map((id) => [id, 7])));
  });

  it('given changes fetched together (a seat held, let go and held again among them, and a seat of another schedule), then they are one statement after the inbox insert, and each seat ends at its largest sequence', async () => {
    const { seatIds, events } = await scheduleWithSeats(3);
    const other = await scheduleWithSeats(1);
    const [s0, s1, s2] = seatIds as [string, string, string];
    const sent: string[] = [];
    const connect = pool.connect.bind(pool);
    const spy = jest.spyOn(pool, 'connect').mockImplementation(async () => {
      const client = await connect();
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
        sent.push(String(typeof args[0] === 'string' ? args[0] : (args[0] as { text: string }).text).trim().split(/\s+/)[0]!);
        return query(...args);
      };
      return client;
    });
    const booking = randomUUID();
    let outcomes;
    try {
      outcomes = await delivery.deliverTogether([
        events.held([s0, s1], 21, booking),
        events.held([s2], 22),
        events.expired([s0, s1], 23, booking),
        // Names this schedule's seat under another schedule: no seat takes it.
        other.events.held([s2], 25),
        events.held([s0], 24),
        other.events.held(other.seatIds, 26),
      ]);
    } finally {
      spy.mockRestore();
    }

    expect(outcomes).toEqual(Array(6).fill('handled'));
    expect(sent).toEqual(['BEGIN;', 'WITH', 'COMMIT']);
    const rows = await sql<{ id: string; status: string; status_sequence: string }>('concert', 'SELECT id, status::text, status_sequence FROM seats WHERE id = ANY($1::uuid[])', [
      [...seatIds, ...other.seatIds],
    ]);
    expect(Object.fromEntries(rows.map((row) => [row.id, `${row.status}:${row.status_sequence}`]))).toEqual({
      [s0]: 'HELD:24',
      [s1]: 'AVAILABLE:23',
      [s2]: 'HELD:22',
      [other.seatIds[0]!]: 'HELD:26',
    });
  });

  it('given three seats held and then sold, then each change updates the seat in place: every update HOT, no new index entry', async () => {
    const { scheduleId, seatIds } = await scheduleWithSeats(3);
    const client = await pool.connect();
    try {
      // This connection's own counts, not yet flushed to the shared statistics: other specs
      // writing seats meanwhile do not show in them (and earlier work on this connection may).
      const counts = async () => {
        const { rows } = await client.query<{ updated: string; hot: string }>(
          `SELECT pg_stat_get_xact_tuples_updated('seats'::regclass) AS updated, pg_stat_get_xact_tuples_hot_updated('seats'::regclass) AS hot`,
        );
        return { updated: Number(rows[0]!.updated), hot: Number(rows[0]!.hot) };
      };
      await client.query('BEGIN');
      const before = await counts();
      const projection = createPgSeatStatusProjection(client);
      await projection.apply({ scheduleId, seatIds, status: 'HELD', sequence: 7 });
      await projection.apply({ scheduleId, seatIds, status: 'SOLD', sequence: 8 });
      const after = await counts();
      await client.query('COMMIT');
      expect({ updated: after.updated - before.updated, hot: after.hot - before.hot }).toEqual({ updated: 6, hot: 6 });
    } finally {
      client.release();
    }
    const stored = await sql<{ id: string; status: string }>('concert', 'SELECT id, status::text FROM seats WHERE schedule_id = $1', [scheduleId]);
    expect(Object.fromEntries(stored.map((row) => [row.id, row.status]))).toEqual(Object.fromEntries(seatIds.map((id) => [id, 'SOLD'])));
  });

  it('given many concurrent changes of overlapping seats in random order, then every seat ends at the status of its highest sequence, with no deadlock', async () => {
    const { scheduleId, seatIds, events } = await scheduleWithSeats(8);
    const CHANGES = 60;
    // Unique sequences, delivered in a random order; each change touches a random 1 to 4 seats.
    const order = shuffled(Array.from({ length: CHANGES }, (_, i) => i + 1));
    const kinds = ['held', 'confirmed', 'cancelled', 'expired'] as const;
    const statusOf = { held: 'HELD', confirmed: 'SOLD', cancelled: 'AVAILABLE', expired: 'AVAILABLE' } as const;
    const changes = order.map((sequence) => {
      const seats = seatIds.filter(() => randomInt(2) === 1).slice(0, 4);
      const chosen = seats.length > 0 ? seats : [seatIds[randomInt(seatIds.length)]!];
      const kind = kinds[randomInt(kinds.length)]!;
      return { sequence, seats: chosen, status: statusOf[kind], event: events[kind](chosen, sequence) };
    });
    await statuses(scheduleId);

    // Readers keep rebuilding the seat map meanwhile, as fans would during an on-sale.
    let storming = true;
    const readers = Promise.all(
      Array.from({ length: 3 }, async () => {
        while (storming) await statuses(scheduleId);
      }),
    );
    const outcomes = await Promise.all(changes.map((change) => delivery.deliver(change.event))).finally(() => (storming = false));
    await readers;

    expect(outcomes.every((outcome) => outcome === 'handled')).toBe(true);
    const expected: Record<string, { status: SeatStatus; sequence: number }> = {};
    for (const id of seatIds) {
      const last = changes.filter((change) => change.seats.includes(id)).sort((x, y) => y.sequence - x.sequence)[0];
      expected[id] = last ? { status: last.status, sequence: last.sequence } : { status: 'AVAILABLE', sequence: 0 };
    }
    const rows = await sql<{ id: string; status: SeatStatus; status_sequence: string }>('concert', 'SELECT id, status, status_sequence FROM seats WHERE schedule_id = $1', [scheduleId]);
    expect(Object.fromEntries(rows.map((row) => [row.id, { status: row.status, sequence: Number(row.status_sequence) }]))).toEqual(expected);
    // And the cache agrees: no rebuild during the storm kept a stale map.
    expect(await statuses(scheduleId)).toEqual(Object.fromEntries(seatIds.map((id) => [id, expected[id]!.status])));
  });
  it('RACE: batches of overlapping changes at once, in random order, then every seat ends at the status of its highest sequence, with no deadlock', async () => {
    const { scheduleId, seatIds, events } = await scheduleWithSeats(8);
    const order = shuffled(Array.from({ length: 60 }, (_, i) => i + 1));
    const changes = order.map((sequence) => {
      const seats = seatIds.filter(() => randomInt(2) === 1).slice(0, 4);
      const chosen = seats.length > 0 ? seats : [seatIds[randomInt(seatIds.length)]!];
      const held = randomInt(2) === 1;
      return { sequence, seats: chosen, status: held ? 'HELD' : 'AVAILABLE', event: held ? events.held(chosen, sequence) : events.expired(chosen, sequence) };
    });

    // Ten batches of six, all at once: each locks its seats in id order.
    const batches = Array.from({ length: 10 }, (_, b) => changes.slice(b * 6, b * 6 + 6));
    const outcomes = await Promise.all(batches.map((batch) => delivery.deliverTogether(batch.map((change) => change.event))));

    expect(outcomes.flat()).toEqual(Array(60).fill('handled'));
    const rows = await sql<{ id: string; status: SeatStatus; status_sequence: string }>('concert', 'SELECT id, status, status_sequence FROM seats WHERE schedule_id = $1', [scheduleId]);
    const expected = Object.fromEntries(
      seatIds.map((id) => {
        const last = changes.filter((change) => change.seats.includes(id)).sort((x, y) => y.sequence - x.sequence)[0];
        return [id, last ? `${last.status}:${last.sequence}` : 'AVAILABLE:0'];
      }),
    );
    expect(Object.fromEntries(rows.map((row) => [row.id, `${row.status}:${row.status_sequence}`]))).toEqual(expected);
    expect(await statuses(scheduleId)).toEqual(Object.fromEntries(seatIds.map((id) => [id, expected[id]!.split(':')[0]])));
  });
});

describe('the seat projection consumer in the concert process', () => {
  const topic = () => topicFor('booking', env()['KAFKA_TOPIC_PREFIX']);

  it('applies a booking event published on the run\'s booking topic and announces it', async () => {
    const { scheduleId, seatIds, events } = await scheduleWithSeats(2);
    const seats = await listen(scheduleId);
    const held = events.held(seatIds, 1);

    await delivery.bus.publish(topic(), [{ key: held.stream.id, value: JSON.stringify(held) }]);

    const message = await eventually(async () => seats.messages[0], 45_000, 'the concert process to apply SeatsHeld');
    expect(message.seats.map((seat) => seat.status)).toEqual(['HELD', 'HELD']);
    expect(Object.values(await statuses(scheduleId))).toEqual(['HELD', 'HELD']);
  }, 90_000);

  it('parks a message it cannot read on the topic\'s dead-letter topic, with the reason', async () => {
    const { seatIds, events } = await scheduleWithSeats(1);
    const held = events.held(seatIds, 1);
    // A SeatsHeld without its seatSequence: the contract refuses it, so retrying cannot help.
    const { seatSequence: _dropped, ...payload } = held.payload as Record<string, unknown>;
    const malformed = JSON.stringify({ ...held, eventId: randomUUID(), payload });

    await delivery.bus.publish(topic(), [{ key: held.stream.id, value: malformed }]);

    const deadLetters = createDeadLetters({ bus: delivery.bus, logger });
    const parked = await eventually(
      async () => {
        const listed = await deadLetters.list(deadLetterTopicFor(topic()), 10_000);
        return listed.find((message) => message.value === malformed && message.headers[DLQ_HEADERS.consumer] === SEAT_PROJECTION_CONSUMER);
      },
      60_000,
      'the malformed message on the dead-letter topic',
    );
    expect(parked.reason).toMatch(/^malformed: .*seatSequence/);
    expect(parked.sourceTopic).toBe(topic());
  }, 90_000);
});
