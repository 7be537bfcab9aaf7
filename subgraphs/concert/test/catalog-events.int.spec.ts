import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { parseEvent, SEATS_PER_EVENT, topicFor, type KnownEvent } from '@ticketing/contracts';
import { createKafkaBus } from '@ticketing/messaging';
import { createLogger } from '@ticketing/platform';
import { closeDatabases, eventually, sql, testSystem } from '@ticketing/test-support';
import { addSeats } from '../src/application/add-seats.command';
import { createConcert } from '../src/application/create-concert.command';
import { createSchedule } from '../src/application/create-schedule.command';
import { createPgCatalogWriter } from '../src/adapters/persistence/pg-catalog.writer';
import { DEMO_IDS } from '../src/seed';

jest.setTimeout(60_000);

const env = () => testSystem().env;
const bus = createKafkaBus({ brokers: (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(','), clientId: 'catalog-events-test', logger: createLogger('catalog-events-test', 'silent') });
const published: KnownEvent[] = [];
const unreadable: string[] = [];
let stopReading: (() => Promise<void>) | undefined;
let pool: Pool;

beforeAll(async () => {
  pool = new Pool({ connectionString: env()['CONCERT_DATABASE_URL'], max: 4 });
  const prefix = env()['KAFKA_TOPIC_PREFIX'] ?? '';
  const topics = [topicFor('concert', prefix), topicFor('schedule', prefix)];
  await bus.ensureTopics(topics);
  // Read as the history archiver does: the run's catalog topics from their beginning, through the contracts.
  const subscription = await bus.consume({
    groupId: `${prefix}catalog-events-test-${randomUUID()}`,
    topics,
    fromBeginning: true,
    handle: async (message) => {
      const parsed = parseEvent(message.value ?? '');
      if (parsed.ok) published.push(parsed.value);
      else unreadable.push(parsed.reason);
    },
  });
  stopReading = subscription.stop;
});

afterAll(async () => {
  await stopReading?.();
  await bus.close();
  await pool.end();
  await closeDatabases();
});

type FoldedSeat = { seatId: string; section: string; row: string; number: number; price: number };

/** A schedule's stream folded as a dashboard would: its seats with section and price. */
function foldSchedule(scheduleId: string) {
  const stream = published.filter((event) => event.stream.type === 'schedule' && event.stream.id === scheduleId).sort((a, b) => a.streamVersion - b.streamVersion);
  const seats = new Map<string, FoldedSeat>();
  let created = false;
  for (const event of stream) {
    if (event.type === 'ScheduleCreated') created = true;
    if (event.type === 'SeatsAdded') for (const seat of event.payload.seats) seats.set(seat.seatId, seat);
  }
  return { created, versions: stream.map((event) => event.streamVersion), seats: [...seats.values()].sort(bySeat) };
}

const bySeat = (a: FoldedSeat, b: FoldedSeat) => a.seatId.localeCompare(b.seatId);

const seatRows = async (scheduleId: string) =>
  (await sql<FoldedSeat>('concert', 'SELECT id AS "seatId", section, row, number, price FROM seats WHERE schedule_id = $1', [scheduleId])).sort(bySeat);

const folded = (scheduleId: string, seats: number) =>
  eventually(async () => {
    const fold = foldSchedule(scheduleId);
    return fold.seats.length >= seats ? fold : undefined;
  }, 20_000, `${seats} seats of schedule ${scheduleId} published`);

const context = () => ({ now: new Date(), correlationId: `test-${randomUUID()}`, causationId: null, newId: randomUUID });
/** Room for every batch below. */
const limits = { maxSeatsPerSchedule: 5_000 };

describe('the catalog publishes its history', () => {
  it('given the demo catalog seeded at start, then its concerts and every schedule folded from the stream equal the database rows', async () => {
    const concerts = await eventually(async () => {
      const found = published.filter((event) => event.type === 'ConcertCreated' && Object.values<string>(DEMO_IDS.concerts).includes(event.stream.id));
      return found.length >= 2 ? found : undefined;
    }, 20_000, 'the demo ConcertCreated events');
    expect(concerts.map((event) => event.streamVersion)).toEqual([0, 0]);

    for (const scheduleId of Object.values(DEMO_IDS.schedules)) {
      const fold = await folded(scheduleId, 120);
      expect(fold.created).toBe(true);
      expect(fold.versions).toEqual([0, 1]);
      expect(fold.seats).toEqual(await seatRows(scheduleId));
    }
    expect(unreadable).toEqual([]);
  });

  it('given a schedule with more seats than one event carries, then the chunks fold to its rows by section, with prices, in a gapless stream', async () => {
    const writer = createPgCatalogWriter(pool);
    const concertId = randomUUID();
    const scheduleId = randomUUID();
    const sections = [
      { section: 'VIP', price: 180_000, seats: 100 },
      { section: 'R', price: 120_000, seats: SEATS_PER_EVENT },
      { section: 'S', price: 90_000, seats: 250 },
    ];
    const seats = sections.flatMap(({ section, price, seats: count }) => Array.from({ length: count }, (_, i) => ({ section, row: String(Math.floor(i / 50) + 1), number: (i % 50) + 1, price })));

    await writer.transact(async (tx) => {
      await createConcert(tx, { id: concertId, title: 'Test concert', artist: 'Test Artist', venue: 'Test Hall' }, context());
      await createSchedule(tx, { id: scheduleId, concertId, startsAt: new Date(Date.now() + 86_400_000), bookingOpensAt: new Date(), maxSeatsPerFan: 4, refundCutoffHours: 24 }, context());
      await addSeats(tx, scheduleId, seats, context(), limits);
    });

    const fold = await folded(scheduleId, seats.length);
    expect(fold.versions).toEqual([0, 1, 2]);
    expect(fold.seats).toEqual(await seatRows(scheduleId));
    const bySection = Object.fromEntries(sections.map(({ section }) => [section, fold.seats.filter((seat) => seat.section === section)]));
    for (const { section, price, seats: count } of sections) {
      expect(bySection[section]).toHaveLength(count);
      expect(bySection[section]!.every((seat) => seat.price === price)).toBe(true);
    }
  });

  it('given many writers adding seats to one schedule at once, then every batch is published and the stream has no gap and no twin', async () => {
    const writer = createPgCatalogWriter(pool);
    const concertId = randomUUID();
    const scheduleId = randomUUID();
    await writer.transact(async (tx) => {
      await createConcert(tx, { id: concertId, title: 'Race concert', artist: 'Test Artist', venue: 'Test Hall' }, context());
      await createSchedule(tx, { id: scheduleId, concertId, startsAt: new Date(Date.now() + 86_400_000), bookingOpensAt: new Date(), maxSeatsPerFan: 4, refundCutoffHours: 24 }, context());
    });
    const WRITERS = 10;
    const results = await Promise.all(
      Array.from({ length: WRITERS }, (_, w) => writer.transact((tx) => addSeats(tx, scheduleId, [{ section: `S${w}`, row: '1', number: 1, price: 1_000 * (w + 1) }], context(), limits))),
    );
    expect(results.every((result) => result.kind === 'SeatsAdded')).toBe(true);

    const fold = await folded(scheduleId, WRITERS);
    expect(fold.versions).toEqual(Array.from({ length: WRITERS + 1 }, (_, i) => i));
    expect(fold.seats).toEqual(await seatRows(scheduleId));
  });

  it('given seats for a schedule that does not exist, then it is ScheduleNotFound and nothing is written', async () => {
    const scheduleId = randomUUID();
    const result = await createPgCatalogWriter(pool).transact((tx) => addSeats(tx, scheduleId, [{ section: 'A', row: '1', number: 1, price: 1 }], context(), limits));
    expect(result).toEqual({ kind: 'ScheduleNotFound' });
    expect(await sql('concert', 'SELECT 1 FROM outbox WHERE aggregate_id = $1', [scheduleId])).toEqual([]);
  });
});
