import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { createEvent, type KnownEvent } from '@ticketing/contracts';
import { consumerOptionsOf, createKafkaBus, processMessage, type MessageBus } from '@ticketing/messaging';
import { createLogger } from '@ticketing/platform';
import { closeDatabases, gql, logInAdmin, sql, type SignedUpFan } from '@ticketing/test-support';
import { retireTicket } from '../src/application/retire-ticket.command';
import { ticketRetirementConsumer } from '../src/adapters/messaging/ticket-retirement.consumer';
import { createRedisTicketChangePublisher } from '../src/adapters/redis/redis-ticket-change.publisher';
import { createRedisWaitingRoom } from '../src/adapters/redis/redis-waiting-room';
import { parseQueueToken } from '../src/domain/queue-token';
import { readPublishedEvents } from './published-events';
import {
  closeRedisClients,
  enter,
  env,
  eventually,
  openSchedule,
  redisWithPrefix,
  SET_QUEUE_POLICY,
  setPolicy,
  signUpFans,
  startQueueProcess,
  statsOf,
  type ExtraQueueProcess,
  type Ticket,
} from './queue-test-kit';

jest.setTimeout(90_000);

const logger = createLogger('queue-events-test', 'silent');
let admin: string;
let second: ExtraQueueProcess;
let published: Awaited<ReturnType<typeof readPublishedEvents>>;
let pool: Pool;
let bus: MessageBus;

beforeAll(async () => {
  admin = await logInAdmin();
  published = await readPublishedEvents(['queue', 'queue-ticket']);
  pool = new Pool({ connectionString: env()['QUEUE_DATABASE_URL'], max: 3 });
  bus = createKafkaBus({ brokers: (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(','), clientId: 'queue-events-test', logger });
  // A second process admits from the same Redis, as in production: both write FanAdmitted.
  second = await startQueueProcess('queue-events-2');
});

afterAll(async () => {
  await second?.stop();
  await published?.close();
  await bus?.close();
  await pool?.end();
  closeRedisClients();
  await closeDatabases();
});

const ticketIdOf = (ticket: Ticket) => parseQueueToken(ticket.token)!.ticketId;
const eventsOf = (predicate: (event: KnownEvent) => boolean) => published.events.filter(predicate);
const ofSchedule = (scheduleId: string) => (event: KnownEvent) => 'scheduleId' in event.payload && event.payload.scheduleId === scheduleId;
const outboxRows = (aggregateType: string, aggregateId: string) =>
  sql<{ type: string }>('queue', 'SELECT event_type AS type FROM outbox WHERE aggregate_type = $1 AND aggregate_id = $2', [aggregateType, aggregateId]);

describe('the waiting room publishes its history', () => {
  it('given two queue processes admitting one schedule, then every admitted fan is exactly one FanAdmitted, at version 0 of its ticket stream', async () => {
    const FANS = 40;
    const fans = await signUpFans(FANS);
    const scheduleId = await openSchedule();
    await setPolicy(admin, scheduleId, { admitsPerSecond: 50, maxActive: 1_000 });
    const tickets = await Promise.all(fans.map((fan, i) => enter(fan, scheduleId, i % 2 ? second.graphqlUrl : undefined)));
    await eventually(async () => (await statsOf(admin, scheduleId)).admitted === FANS, 30_000, 'every fan to be admitted');

    const admitted = await eventually(async () => {
      const found = eventsOf((event) => event.type === 'FanAdmitted' && ofSchedule(scheduleId)(event));
      return found.length >= FANS ? found : undefined;
    }, 15_000, `${FANS} FanAdmitted events`);
    expect(admitted).toHaveLength(FANS);
    expect(new Set(admitted.map((event) => event.stream.id))).toEqual(new Set(tickets.map(ticketIdOf)));
    for (const event of admitted) expect({ stream: event.stream.type, version: event.streamVersion }).toEqual({ stream: 'queue-ticket', version: 0 });
    const numbers = admitted.map((event) => (event.type === 'FanAdmitted' ? event.payload.queueNumber : 0)).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: FANS }, (_, i) => i + 1));
    expect(published.unreadable).toEqual([]);
  });

  it('given a confirmed booking delivered twice and confirmed again, then its ticket is retired by exactly one TicketRetired, at version 1', async () => {
    const [fan] = (await signUpFans(1)) as [SignedUpFan];
    const scheduleId = await openSchedule();
    const ticket = await enter(fan, scheduleId);
    const ticketId = ticketIdOf(ticket);
    await eventually(async () => eventsOf((event) => event.type === 'FanAdmitted' && event.stream.id === ticketId)[0], 15_000, 'the admission');

    const handler = ticketRetirementConsumer({
      retireTicket: retireTicket({
        room: createRedisWaitingRoom(redisWithPrefix(), { defaultAdmitsPerSecond: 50 }),
        publisher: createRedisTicketChangePublisher(redisWithPrefix(), env()['REDIS_KEY_PREFIX']!),
        newId: randomUUID,
      }),
      logger,
    });
    let offset = 0;
    const deliver = (event: KnownEvent) =>
      processMessage(
        { topic: 'test.booking.events', partition: 0, offset: String(offset++), key: event.stream.id, value: JSON.stringify(event), headers: {} },
        { bus, pool, ...consumerOptionsOf(handler), groupId: 'not-a-kafka-group', topics: ['test.booking.events'], logger, retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 } },
      );
    const confirmed = () => {
      const bookingId = randomUUID();
      const payload = { bookingId, userId: fan.id, scheduleId, seatIds: [randomUUID()], amount: 99_000, paymentId: randomUUID(), currency: 'KRW', heldUntil: null, queueTicketId: ticketId, seatSequence: 1 };
      return createEvent('BookingConfirmed', payload, { eventId: randomUUID(), streamId: bookingId, streamVersion: 3, now: new Date(), correlationId: 'checkout-1' }) as KnownEvent;
    };
    const first = confirmed();

    expect(await deliver(first)).toBe('handled');
    expect(await deliver(first)).toBe('duplicate');
    expect(await deliver(confirmed())).toBe('handled');

    const retired = await eventually(async () => eventsOf((event) => event.type === 'TicketRetired' && event.stream.id === ticketId)[0], 15_000, 'TicketRetired');
    expect(retired).toMatchObject({ stream: { type: 'queue-ticket', id: ticketId }, streamVersion: 1, causationId: first.eventId, correlationId: 'checkout-1' });
    expect(retired.payload).toMatchObject({ scheduleId, ticketId, userId: fan.id, bookingId: first.stream.id });
    expect((await outboxRows('queue-ticket', ticketId)).map((row) => row.type).sort()).toEqual(['FanAdmitted', 'TicketRetired']);
    expect(eventsOf((event) => event.type === 'TicketRetired' && event.stream.id === ticketId)).toHaveLength(1);
  });

  it('given policy changes one after another, then each change is its events, in order, on the schedule stream; a no-op change is none', async () => {
    const scheduleId = await openSchedule();
    await setPolicy(admin, scheduleId, { admitsPerSecond: 30 });
    await setPolicy(admin, scheduleId, { paused: true });
    await setPolicy(admin, scheduleId, { paused: true });
    await setPolicy(admin, scheduleId, { maxActive: 5, paused: false });

    const stream = await eventually(async () => {
      const found = eventsOf((event) => event.stream.type === 'queue' && event.stream.id === scheduleId);
      return found.length >= 4 ? found : undefined;
    }, 15_000, 'four policy events');
    expect(stream.map((event) => [event.streamVersion, event.type])).toEqual([
      [0, 'QueuePolicyChanged'],
      [1, 'QueuePaused'],
      [2, 'QueuePolicyChanged'],
      [3, 'QueueResumed'],
    ]);
    expect(stream[0]!.payload).toMatchObject({ scheduleId, admitsPerSecond: 30, previous: { admitsPerSecond: expect.any(Number) } });
    expect(stream[2]!.payload).toMatchObject({ scheduleId, admitsPerSecond: 30, maxActive: 5 });
    expect(await outboxRows('queue', scheduleId)).toHaveLength(4);
  });

  it('given many admins changing one schedule at once, then every change is one event and the stream has no gap and no twin', async () => {
    const scheduleId = await openSchedule();
    const CHANGES = 12;
    await Promise.all(Array.from({ length: CHANGES }, (_, i) => setPolicy(admin, scheduleId, { admitsPerSecond: 100 + i })));

    const stream = await eventually(async () => {
      const found = eventsOf((event) => event.stream.type === 'queue' && event.stream.id === scheduleId);
      return found.length >= CHANGES ? found : undefined;
    }, 15_000, `${CHANGES} policy events`);
    expect(stream.map((event) => event.streamVersion).sort((a, b) => a - b)).toEqual(Array.from({ length: CHANGES }, (_, i) => i));
    const rates = stream.map((event) => (event.type === 'QueuePolicyChanged' ? event.payload.admitsPerSecond : 0));
    expect(new Set(rates)).toEqual(new Set(Array.from({ length: CHANGES }, (_, i) => 100 + i)));
    // Each event's "previous" is the one before it: the changes applied one after another.
    const ordered = [...stream].sort((a, b) => a.streamVersion - b.streamVersion);
    for (let i = 1; i < ordered.length; i++) {
      const [before, after] = [ordered[i - 1]!, ordered[i]!];
      if (before.type === 'QueuePolicyChanged' && after.type === 'QueuePolicyChanged') expect(after.payload.previous.admitsPerSecond).toBe(before.payload.admitsPerSecond);
    }
  });

  it('given a change to a schedule the catalog does not know, then it is NOT_FOUND and nothing is written to the outbox', async () => {
    const scheduleId = randomUUID();
    const answer = await gql(SET_QUEUE_POLICY, { scheduleId, paused: true }, { token: admin });
    expect(answer.errors?.[0]?.extensions?.['code']).toBe('NOT_FOUND');
    expect(await outboxRows('queue', scheduleId)).toEqual([]);
  });
});
