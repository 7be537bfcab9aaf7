import { randomUUID } from 'node:crypto';
import { parseEvent, topicFor, type KnownEvent } from '@ticketing/contracts';
import { createKafkaBus } from '@ticketing/messaging';
import { createLogger } from '@ticketing/platform';
import { addSeatsCommand } from '../src/application/add-seats.command';
import { createPgCatalogWriter } from '../src/adapters/persistence/pg-catalog.writer';
import { Pool } from 'pg';
import { closeDatabases, createCatalogSchedule, errorCode, eventually, gql, logInAdmin, signUpFan, sql, testSystem, type GraphQLResponse } from '@ticketing/test-support';

/*
 * The back office's catalog mutations through the gateway, as an admin's client sends them:
 * what they answer, what they write (rows and outbox rows, counted before and after every
 * refusal) and what reaches Kafka.
 */

jest.setTimeout(60_000);

const env = () => testSystem().env;
const bus = createKafkaBus({ brokers: (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(','), clientId: 'catalog-admin-test', logger: createLogger('catalog-admin-test', 'silent') });
const published: KnownEvent[] = [];
let stopReading: (() => Promise<void>) | undefined;
let admin: string;
let fan: string;

beforeAll(async () => {
  [admin, fan] = await Promise.all([logInAdmin(), signUpFan().then((signedUp) => signedUp.token)]);
  const prefix = env()['KAFKA_TOPIC_PREFIX'] ?? '';
  const topics = [topicFor('concert', prefix), topicFor('schedule', prefix)];
  await bus.ensureTopics(topics);
  const subscription = await bus.consume({
    groupId: `${prefix}catalog-admin-test-${randomUUID()}`,
    topics,
    fromBeginning: true,
    handle: async (message) => {
      const parsed = parseEvent(message.value ?? '');
      if (parsed.ok) published.push(parsed.value);
    },
  });
  stopReading = subscription.stop;
});

afterAll(async () => {
  await stopReading?.();
  await bus.close();
  await closeDatabases();
});

const CONCERT = 'id title artist venue';
const SCHEDULE = 'id startsAt bookingOpensAt maxSeatsPerFan concert { id }';

interface ConcertView {
  id: string;
  title: string;
  artist: string;
  venue: string;
}
interface ScheduleView {
  id: string;
  startsAt: string;
  bookingOpensAt: string;
  maxSeatsPerFan: number;
  concert: { id: string };
}
interface SeatView {
  id: string;
  section: string;
  row: string;
  number: number;
  price: number;
}
type Blocks = Array<{ section: string; rows: string[]; seatsPerRow: number; price: number }>;

const DAY = 24 * 3600_000;
const inDays = (days: number) => new Date(Date.now() + days * DAY).toISOString();

const createConcert = (input: Record<string, unknown>, token: string | null = admin) =>
  gql<{ createConcert: ConcertView }>(`mutation C($input: CreateConcertInput!) { createConcert(input: $input) { ${CONCERT} } }`, { input }, token ? { token } : {});
const updateConcert = (id: string, input: Record<string, unknown>, token: string | null = admin) =>
  gql<{ updateConcert: ConcertView }>(`mutation U($id: ID!, $input: UpdateConcertInput!) { updateConcert(id: $id, input: $input) { ${CONCERT} } }`, { id, input }, token ? { token } : {});
const createSchedule = (concertId: string, input: Record<string, unknown>, token: string | null = admin) =>
  gql<{ createSchedule: ScheduleView }>(
    `mutation S($concertId: ID!, $input: CreateScheduleInput!) { createSchedule(concertId: $concertId, input: $input) { ${SCHEDULE} } }`,
    { concertId, input },
    token ? { token } : {},
  );
const updateSchedule = (id: string, input: Record<string, unknown>, token: string | null = admin) =>
  gql<{ updateSchedule: ScheduleView }>(`mutation US($id: ID!, $input: UpdateScheduleInput!) { updateSchedule(id: $id, input: $input) { ${SCHEDULE} } }`, { id, input }, token ? { token } : {});
const addSeats = (scheduleId: string, blocks: Blocks, token: string | null = admin) =>
  gql<{ addSeats: { id: string; seats: SeatView[] } }>(
    'mutation A($scheduleId: ID!, $blocks: [SeatBlockInput!]!) { addSeats(scheduleId: $scheduleId, blocks: $blocks) { id seats { id section row number price } } }',
    { scheduleId, blocks },
    token ? { token } : {},
  );

function data<T>(response: GraphQLResponse<T>): T {
  if (!response.data || response.errors) throw new Error(`unexpected errors: ${JSON.stringify(response.errors)}`);
  return response.data;
}

const newConcert = async () => data(await createConcert({ title: 'Admin Test Tour', artist: `Artist ${randomUUID()}`, venue: 'Test Hall' })).createConcert;
const newSchedule = async (concertId: string) =>
  data(await createSchedule(concertId, { startsAt: inDays(30), bookingOpensAt: inDays(1) })).createSchedule;

/** A stream's events as the outbox holds them, parsed through the contracts, in version order. */
async function outboxOf(streamId: string): Promise<KnownEvent[]> {
  const rows = await sql<{ payload: string }>('concert', 'SELECT payload::text AS payload FROM outbox WHERE aggregate_id = $1', [streamId]);
  return rows
    .map(({ payload }) => {
      const parsed = parseEvent(payload);
      if (!parsed.ok) throw new Error(`outbox row is not a valid event: ${parsed.reason}`);
      return parsed.value;
    })
    .sort((a, b) => a.streamVersion - b.streamVersion);
}

/** Everything a refused change to this concert or schedule could have written. */
async function footprint(concertId: string, scheduleId?: string) {
  const [counts] = await sql<{ concert: string; schedules: number; seats: number; outbox: number; version: number }>(
    'concert',
    `SELECT (SELECT title || '|' || artist || '|' || venue FROM concerts WHERE id = $1::uuid) AS concert,
            (SELECT version FROM concerts WHERE id = $1::uuid) AS version,
            (SELECT count(*)::int FROM schedules WHERE concert_id = $1::uuid) AS schedules,
            (SELECT count(*)::int FROM seats s JOIN schedules c ON c.id = s.schedule_id WHERE c.concert_id = $1::uuid) AS seats,
            (SELECT count(*)::int FROM outbox WHERE aggregate_id IN ($1::text, $2::text) OR payload->'payload'->>'concertId' = $1::text) AS outbox`,
    [concertId, scheduleId ?? concertId],
  );
  const schedule = scheduleId ? await sql('concert', 'SELECT starts_at, booking_opens_at, max_seats_per_fan, version FROM schedules WHERE id = $1', [scheduleId]) : [];
  return { counts, schedule };
}

describe('catalog administration through the gateway', () => {
  it('given an admin, when they create a concert with spaces around its details, then it is stored trimmed and ConcertCreated reaches Kafka', async () => {
    const artist = `Seoul Lights ${randomUUID()}`;
    const concert = data(await createConcert({ title: '  Midnight Aurora Tour ', artist, venue: ' KSPO Dome ' })).createConcert;

    expect(concert).toEqual({ id: expect.any(String), title: 'Midnight Aurora Tour', artist, venue: 'KSPO Dome' });
    expect((await outboxOf(concert.id)).map((e) => [e.type, e.streamVersion, e.payload])).toEqual([
      ['ConcertCreated', 0, { concertId: concert.id, title: 'Midnight Aurora Tour', artist, venue: 'KSPO Dome' }],
    ]);
    const onKafka = await eventually(async () => published.find((e) => e.type === 'ConcertCreated' && e.stream.id === concert.id), 20_000, 'ConcertCreated on Kafka');
    expect(onKafka.payload).toMatchObject({ title: 'Midnight Aurora Tour' });
  });

  it('given a concert, when an admin changes its venue and repeats its title, then ConcertChanged carries only the venue; the same change again writes nothing', async () => {
    const concert = await newConcert();

    const changed = data(await updateConcert(concert.id, { title: concert.title, venue: 'Gocheok Sky Dome' })).updateConcert;
    expect(changed).toEqual({ ...concert, venue: 'Gocheok Sky Dome' });
    const before = await footprint(concert.id);
    const again = data(await updateConcert(concert.id, { venue: ' Gocheok Sky Dome ', artist: null })).updateConcert;

    expect(again).toEqual(changed);
    expect(await footprint(concert.id)).toEqual(before);
    expect((await outboxOf(concert.id)).map((e) => [e.type, e.streamVersion, e.payload])).toEqual([
      ['ConcertCreated', 0, expect.anything()],
      ['ConcertChanged', 1, { concertId: concert.id, venue: 'Gocheok Sky Dome' }],
    ]);
    await eventually(async () => published.some((e) => e.type === 'ConcertChanged' && e.stream.id === concert.id), 20_000, 'ConcertChanged on Kafka');
  });

  it('given an unknown or malformed concert id, then updateConcert and createSchedule answer NOT_FOUND', async () => {
    expect(errorCode(await updateConcert(randomUUID(), { title: 'X' }))).toBe('NOT_FOUND');
    expect(errorCode(await updateConcert('not-a-uuid', { title: 'X' }))).toBe('NOT_FOUND');
    expect(errorCode(await createSchedule(randomUUID(), { startsAt: inDays(30), bookingOpensAt: inDays(1) }))).toBe('NOT_FOUND');
  });

  it('given a concert, when an admin creates a schedule without a cap or a refund cutoff, then it has the defaults (4 seats, 24 hours) and ScheduleCreated is version 0 of its stream', async () => {
    const concert = await newConcert();
    const startsAt = inDays(30);
    const bookingOpensAt = inDays(2);

    const schedule = data(await createSchedule(concert.id, { startsAt, bookingOpensAt })).createSchedule;

    expect(schedule).toEqual({ id: expect.any(String), startsAt, bookingOpensAt, maxSeatsPerFan: 4, concert: { id: concert.id } });
    expect((await outboxOf(schedule.id)).map((e) => [e.type, e.streamVersion, e.payload])).toEqual([
      ['ScheduleCreated', 0, { scheduleId: schedule.id, concertId: concert.id, startsAt, bookingOpensAt, maxSeatsPerFan: 4, refundCutoffHours: 24 }],
    ]);
    await eventually(async () => published.some((e) => e.type === 'ScheduleCreated' && e.stream.id === schedule.id), 20_000, 'ScheduleCreated on Kafka');
  });

  it('given a schedule, when an admin changes its cap and repeats its start, then ScheduleChanged carries only the cap; an unknown schedule is NOT_FOUND', async () => {
    const schedule = await newSchedule((await newConcert()).id);

    const changed = data(await updateSchedule(schedule.id, { maxSeatsPerFan: 2, startsAt: schedule.startsAt })).updateSchedule;

    expect(changed).toEqual({ ...schedule, maxSeatsPerFan: 2 });
    expect((await outboxOf(schedule.id)).map((e) => [e.type, e.streamVersion, e.payload])).toEqual([
      ['ScheduleCreated', 0, expect.anything()],
      ['ScheduleChanged', 1, { scheduleId: schedule.id, maxSeatsPerFan: 2 }],
    ]);
    const read = await gql<{ schedule: ScheduleView }>(`query Q($id: ID!) { schedule(id: $id) { ${SCHEDULE} } }`, { id: schedule.id });
    expect(read.data?.schedule).toEqual(changed);
    expect(errorCode(await updateSchedule(randomUUID(), { maxSeatsPerFan: 2 }))).toBe('NOT_FOUND');
  });

  it('given a schedule whose seat map is cached, when an admin adds blocks of seats, then the answer and the seat map have them and SeatsAdded carries them', async () => {
    const schedule = await newSchedule((await newConcert()).id);
    // Fill the cache with the empty map: the command must make readers forget it.
    const empty = await gql<{ schedule: { seats: SeatView[] } }>('query Q($id: ID!) { schedule(id: $id) { seats { id } } }', { id: schedule.id });
    expect(empty.data?.schedule.seats).toEqual([]);

    const added = data(
      await addSeats(schedule.id, [
        { section: 'VIP', rows: ['A', 'B'], seatsPerRow: 3, price: 180_000 },
        { section: 'R', rows: ['1'], seatsPerRow: 2, price: 0 },
      ]),
    ).addSeats;

    const expected = [
      ...['1'].flatMap((row) => [1, 2].map((number) => ({ section: 'R', row, number, price: 0 }))),
      ...['A', 'B'].flatMap((row) => [1, 2, 3].map((number) => ({ section: 'VIP', row, number, price: 180_000 }))),
    ];
    expect(added.seats.map(({ section, row, number, price }) => ({ section, row, number, price }))).toEqual(expected);
    const read = await gql<{ schedule: { seats: SeatView[]; availableSeatCount: number } }>(
      'query Q($id: ID!) { schedule(id: $id) { seats { id section row number price } availableSeatCount } }',
      { id: schedule.id },
    );
    expect(read.data?.schedule).toEqual({ seats: added.seats, availableSeatCount: 8 });
    const events = await outboxOf(schedule.id);
    expect(events.map((e) => [e.type, e.streamVersion])).toEqual([
      ['ScheduleCreated', 0],
      ['SeatsAdded', 1],
    ]);
    const carried = events.flatMap((e) => (e.type === 'SeatsAdded' ? e.payload.seats : []));
    expect(carried.map(({ seatId, section, row, number, price }) => ({ id: seatId, section, row, number, price })).sort((a, b) => a.id.localeCompare(b.id))).toEqual(
      [...added.seats].sort((a, b) => a.id.localeCompare(b.id)),
    );
  });

  it('given the fixture, when a test builds a schedule through it, then the seats come back in order with ids and the catalog events are in the outbox', async () => {
    const built = await createCatalogSchedule(admin, {
      opensAt: new Date(Date.now() - 60_000),
      sections: [{ section: 'A', rows: ['1', '2'], seatsPerRow: 5, price: 50_000 }],
      maxSeatsPerFan: 6,
    });

    expect(built.seats).toHaveLength(10);
    expect(built.seats[0]).toEqual({ id: expect.any(String), section: 'A', row: '1', number: 1, price: 50_000 });
    expect((await outboxOf(built.scheduleId)).map((e) => e.type)).toEqual(['ScheduleCreated', 'SeatsAdded']);
    expect((await outboxOf(built.concertId)).map((e) => e.type)).toEqual(['ConcertCreated']);
  });
});

describe('who may change the catalog', () => {
  it('given a fan, then every catalog mutation is FORBIDDEN; signed out, UNAUTHENTICATED; and nothing is written', async () => {
    const concert = await newConcert();
    const schedule = await newSchedule(concert.id);
    const before = await footprint(concert.id, schedule.id);
    const attempts = (token: string | null) => [
      createConcert({ title: 'T', artist: 'A', venue: 'V' }, token),
      updateConcert(concert.id, { title: 'Hijacked' }, token),
      createSchedule(concert.id, { startsAt: inDays(30), bookingOpensAt: inDays(1) }, token),
      updateSchedule(schedule.id, { maxSeatsPerFan: 10 }, token),
      addSeats(schedule.id, [{ section: 'X', rows: ['1'], seatsPerRow: 1, price: 1 }], token),
    ];

    expect((await Promise.all(attempts(fan))).map(errorCode)).toEqual(Array(5).fill('FORBIDDEN'));
    expect((await Promise.all(attempts(null))).map(errorCode)).toEqual(Array(5).fill('UNAUTHENTICATED'));
    expect(await footprint(concert.id, schedule.id)).toEqual(before);
  });
});

describe('refused changes write nothing', () => {
  it('given a concert whose title would be empty or too long, then BAD_USER_INPUT names the field and no concert or event exists', async () => {
    const artist = `Refused ${randomUUID()}`;
    const empty = await createConcert({ title: '   ', artist, venue: 'V' });
    const long = await createConcert({ title: 'T', artist, venue: 'x'.repeat(201) });

    expect([errorCode(empty), empty.errors?.[0]?.extensions?.['field']]).toEqual(['BAD_USER_INPUT', 'input.title']);
    expect([errorCode(long), long.errors?.[0]?.extensions?.['field']]).toEqual(['BAD_USER_INPUT', 'input.venue']);
    expect(await sql('concert', 'SELECT 1 FROM concerts WHERE artist = $1', [artist])).toEqual([]);
    expect(await sql('concert', "SELECT 1 FROM outbox WHERE payload->'payload'->>'artist' = $1", [artist])).toEqual([]);
  });

  it('given an update that would empty a concert title, then it is BAD_USER_INPUT and the concert is as it was', async () => {
    const concert = await newConcert();
    const before = await footprint(concert.id);

    const response = await updateConcert(concert.id, { title: '', venue: 'Somewhere else' });

    expect([errorCode(response), response.errors?.[0]?.extensions?.['field']]).toEqual(['BAD_USER_INPUT', 'input.title']);
    expect(await footprint(concert.id)).toEqual(before);
  });

  it('given a schedule that would open after it starts, start in the past or cap fans at 11, then BAD_USER_INPUT names the field and no schedule exists', async () => {
    const concert = await newConcert();
    const before = await footprint(concert.id);

    const late = await createSchedule(concert.id, { startsAt: inDays(10), bookingOpensAt: inDays(11) });
    const past = await createSchedule(concert.id, { startsAt: inDays(-1), bookingOpensAt: inDays(-2) });
    const greedy = await createSchedule(concert.id, { startsAt: inDays(10), bookingOpensAt: inDays(1), maxSeatsPerFan: 11 });

    expect([late, past, greedy].map((r) => [errorCode(r), r.errors?.[0]?.extensions?.['field']])).toEqual([
      ['BAD_USER_INPUT', 'input.bookingOpensAt'],
      ['BAD_USER_INPUT', 'input.startsAt'],
      ['BAD_USER_INPUT', 'input.maxSeatsPerFan'],
    ]);
    expect(await footprint(concert.id)).toEqual(before);
  });

  it('given a schedule, when an update would move its opening after its start, then it is BAD_USER_INPUT and the schedule is as it was', async () => {
    const concert = await newConcert();
    const schedule = await newSchedule(concert.id);
    const before = await footprint(concert.id, schedule.id);

    const response = await updateSchedule(schedule.id, { bookingOpensAt: inDays(31), maxSeatsPerFan: 2 });

    expect([errorCode(response), response.errors?.[0]?.extensions?.['field']]).toEqual(['BAD_USER_INPUT', 'input.bookingOpensAt']);
    expect(await footprint(concert.id, schedule.id)).toEqual(before);
  });

  it('given seat blocks with a negative price, a huge seatsPerRow or too many seats, then BAD_USER_INPUT names the field and no seat or event is written', async () => {
    const concert = await newConcert();
    const schedule = await newSchedule(concert.id);
    const fine = { section: 'A', rows: ['1'], seatsPerRow: 2, price: 10_000 };
    const before = await footprint(concert.id, schedule.id);

    const negative = await addSeats(schedule.id, [fine, { section: 'B', rows: ['1'], seatsPerRow: 2, price: -1 }]);
    const huge = await addSeats(schedule.id, [{ ...fine, seatsPerRow: 1_000_000 }]);
    // 26 rows × 200 seats: every number is fine, the total passes MAX_SEATS_PER_SCHEDULE (5000 by default).
    const tooMany = await addSeats(schedule.id, [{ ...fine, rows: Array.from({ length: 26 }, (_, i) => String.fromCharCode(65 + i)), seatsPerRow: 200 }]);

    expect([negative, huge, tooMany].map((r) => [errorCode(r), r.errors?.[0]?.extensions?.['field']])).toEqual([
      ['BAD_USER_INPUT', 'blocks[1].price'],
      ['BAD_USER_INPUT', 'blocks[0].seatsPerRow'],
      ['BAD_USER_INPUT', 'blocks'],
    ]);
    expect(await footprint(concert.id, schedule.id)).toEqual(before);
  });

  it('given a schedule with 4000 seats, when a batch of 1200 would pass MAX_SEATS_PER_SCHEDULE (5000), then it is BAD_USER_INPUT on blocks and nothing is written', async () => {
    const concert = await newConcert();
    const schedule = await newSchedule(concert.id);
    const rows = (count: number) => Array.from({ length: count }, (_, i) => `R${i + 1}`);
    data(await addSeats(schedule.id, [{ section: 'Floor', rows: rows(10), seatsPerRow: 400, price: 10_000 }]));
    const before = await footprint(concert.id, schedule.id);

    const response = await addSeats(schedule.id, [{ section: 'Balcony', rows: rows(4), seatsPerRow: 300, price: 10_000 }]);

    expect([errorCode(response), response.errors?.[0]?.extensions?.['field'], response.errors?.[0]?.extensions?.['max']]).toEqual(['BAD_USER_INPUT', 'blocks', 5000]);
    expect(await footprint(concert.id, schedule.id)).toEqual(before);
  });

  it('given seats that exist, when a batch names one of them among new ones, then it is CONFLICT naming it and none of the batch is written', async () => {
    const concert = await newConcert();
    const schedule = await newSchedule(concert.id);
    data(await addSeats(schedule.id, [{ section: 'A', rows: ['1'], seatsPerRow: 4, price: 10_000 }]));
    const before = await footprint(concert.id, schedule.id);

    const response = await addSeats(schedule.id, [
      { section: 'B', rows: ['1', '2'], seatsPerRow: 5, price: 5_000 },
      { section: 'A', rows: ['1'], seatsPerRow: 6, price: 10_000 },
    ]);

    expect(errorCode(response)).toBe('CONFLICT');
    expect(response.errors?.[0]?.extensions?.['seats']).toEqual([1, 2, 3, 4].map((number) => ({ section: 'A', row: '1', number })));
    expect(await footprint(concert.id, schedule.id)).toEqual(before);
  });

  it('given blocks that name one seat twice, then it is BAD_USER_INPUT and nothing is written', async () => {
    const concert = await newConcert();
    const schedule = await newSchedule(concert.id);
    const before = await footprint(concert.id, schedule.id);

    const response = await addSeats(schedule.id, [
      { section: 'A', rows: ['1'], seatsPerRow: 4, price: 10_000 },
      { section: 'A', rows: ['1'], seatsPerRow: 2, price: 10_000 },
    ]);

    expect([errorCode(response), response.errors?.[0]?.extensions?.['field']]).toEqual(['BAD_USER_INPUT', 'blocks[1]']);
    expect(await footprint(concert.id, schedule.id)).toEqual(before);
  });
});

describe('admins editing one concert or schedule at once', () => {
  it('given 10 admins setting the same new venue and the same new cap at once, then each changes once: one ConcertChanged, one ScheduleChanged, gapless versions', async () => {
    const concert = await newConcert();
    const schedule = await newSchedule(concert.id);
    // Warm the service's pool (see the seat race below) with edits that change nothing.
    await Promise.all(Array.from({ length: 10 }, () => updateConcert(concert.id, { venue: concert.venue })));

    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? updateConcert(concert.id, { venue: 'Same New Hall' }) : updateSchedule(schedule.id, { maxSeatsPerFan: 7 }))),
    );

    expect(responses.map((r) => errorCode(r) ?? 'ok')).toEqual(Array(10).fill('ok'));
    expect((await outboxOf(concert.id)).map((e) => [e.type, e.streamVersion, e.payload])).toEqual([
      ['ConcertCreated', 0, expect.anything()],
      ['ConcertChanged', 1, { concertId: concert.id, venue: 'Same New Hall' }],
    ]);
    expect((await outboxOf(schedule.id)).map((e) => [e.type, e.streamVersion, e.payload])).toEqual([
      ['ScheduleCreated', 0, expect.anything()],
      ['ScheduleChanged', 1, { scheduleId: schedule.id, maxSeatsPerFan: 7 }],
    ]);
    expect(await sql('concert', 'SELECT c.version AS concert, s.version AS schedule FROM concerts c JOIN schedules s ON s.concert_id = c.id WHERE s.id = $1', [schedule.id])).toEqual([
      { concert: 2, schedule: 2 },
    ]);
  });
});

describe('admins adding seats to one schedule at once', () => {
  it('given 10 concurrent batches, 5 of them overlapping on one block, then exactly 6 win, no seat is doubled, a loser writes nothing and the stream has no gap', async () => {
    const concert = await newConcert();
    const schedule = await newSchedule(concert.id);
    // Big enough that a winner's insert takes a while: the window in which an unlocked check would pass.
    const shared = { section: 'Shared', rows: ['1', '2', '3', '4'], seatsPerRow: 100, price: 70_000 };
    // Callers 0-4 each add the shared block plus a section of their own; callers 5-9 only a section of their own.
    const batches: Blocks[] = Array.from({ length: 10 }, (_, i) =>
      i < 5 ? [shared, { section: `Own${i}`, rows: ['1'], seatsPerRow: 2, price: 1_000 }] : [{ section: `Own${i}`, rows: ['1'], seatsPerRow: 3, price: 2_000 }],
    );

    // Open the service's pool first (no-op edits queue on the row lock, each holding a connection):
    // on cold connections the authentication handshakes alone spread the batches out and there is no race.
    await Promise.all(Array.from({ length: 10 }, () => updateSchedule(schedule.id, { maxSeatsPerFan: schedule.maxSeatsPerFan })));

    const responses = await Promise.all(batches.map((blocks) => addSeats(schedule.id, blocks)));

    const outcomes = responses.map((r) => (r.data?.addSeats ? 'added' : errorCode(r)));
    expect(outcomes.slice(0, 5).sort()).toEqual(['CONFLICT', 'CONFLICT', 'CONFLICT', 'CONFLICT', 'added']);
    expect(outcomes.slice(5)).toEqual(Array(5).fill('added'));
    const winner = outcomes.indexOf('added');

    const rows = await sql<{ id: string; section: string; row: string; number: number }>('concert', 'SELECT id, section, "row", number FROM seats WHERE schedule_id = $1', [schedule.id]);
    const expectedSections = ['Shared', `Own${winner}`, 'Own5', 'Own6', 'Own7', 'Own8', 'Own9'];
    expect(rows).toHaveLength(400 + 2 + 5 * 3);
    expect(new Set(rows.map((r) => `${r.section}/${r.row}/${r.number}`)).size).toBe(rows.length);
    expect([...new Set(rows.map((r) => r.section))].sort()).toEqual(expectedSections.sort());

    const events = await outboxOf(schedule.id);
    expect(events.map((e) => e.streamVersion)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    const seatsAdded = events.filter((e) => e.type === 'SeatsAdded');
    // Every seat row has its event, and every event's seats are rows: one event per winning batch.
    expect(seatsAdded.flatMap((e) => (e.type === 'SeatsAdded' ? e.payload.seats.map((s) => s.seatId) : [])).sort()).toEqual(rows.map((r) => r.id).sort());
    const [version] = await sql<{ version: number }>('concert', 'SELECT version FROM schedules WHERE id = $1', [schedule.id]);
    expect(version?.version).toBe(7);
  });

  it('given 10 writers on warm connections adding the same 400 seats through the command, then one adds them, nine are SeatsTaken and none fails', async () => {
    const schedule = await newSchedule((await newConcert()).id);
    const pool = new Pool({ connectionString: env()['CONCERT_DATABASE_URL'], max: 10 });
    try {
      // Ten open connections, so the writers really overlap instead of queueing on connection set-up.
      await Promise.all(Array.from({ length: 10 }, () => pool.query('SELECT pg_sleep(0.05)')));
      const add = addSeatsCommand({ writer: createPgCatalogWriter(pool), now: () => new Date(), newId: randomUUID, cache: { invalidate: async () => undefined }, maxSeatsPerSchedule: 5_000 });
      const blocks = [{ section: 'S', rows: ['1', '2', '3', '4'], seatsPerRow: 100, price: 1_000 }];

      const results = await Promise.allSettled(Array.from({ length: 10 }, () => add(schedule.id, blocks, { requestId: `race-${randomUUID()}` })));

      expect(results.map((r) => (r.status === 'fulfilled' ? r.value.kind : `threw ${String(r.reason)}`)).sort()).toEqual(['SeatsAdded', ...Array(9).fill('SeatsTaken')]);
      expect(await sql('concert', 'SELECT 1 FROM seats WHERE schedule_id = $1', [schedule.id])).toHaveLength(400);
      expect((await outboxOf(schedule.id)).map((e) => [e.type, e.streamVersion])).toEqual([
        ['ScheduleCreated', 0],
        ['SeatsAdded', 1],
      ]);
    } finally {
      await pool.end();
    }
  });
});
