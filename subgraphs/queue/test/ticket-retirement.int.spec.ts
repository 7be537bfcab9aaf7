import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import {
  createEvent,
  deadLetterTopicFor,
  queueTicketChangedSchema,
  realtimeChannels,
  topicFor,
  type KnownEvent,
  type QueueTicketChanged,
} from '@ticketing/contracts';
import { consumerOptionsOf, createDeadLetters, createKafkaBus, DLQ_HEADERS, processMessage, processMessages, type MessageBus } from '@ticketing/messaging';
import { createLogger, createRedis } from '@ticketing/platform';
import { closeDatabases, logInAdmin, sql, type SignedUpFan } from '@ticketing/test-support';
import { retireTicket } from '../src/application/retire-ticket.command';
import { TICKET_RETIREMENT_CONSUMER, ticketRetirementConsumer } from '../src/adapters/messaging/ticket-retirement.consumer';
import { createRedisTicketChangePublisher } from '../src/adapters/redis/redis-ticket-change.publisher';
import { createRedisWaitingRoom } from '../src/adapters/redis/redis-waiting-room';
import { parseQueueToken } from '../src/domain/queue-token';
import {
  closeRedisClients,
  enter,
  env,
  eventually,
  openSchedule,
  redisUrl,
  redisWithPrefix,
  setPolicy,
  signUpFans,
  sleep,
  statsOf,
  ticketOf,
  verify,
  type Ticket,
} from './queue-test-kit';

const logger = createLogger('queue-test', 'silent');
const keyPrefix = () => env()['REDIS_KEY_PREFIX']!;

let admin: string;
let pool: Pool;
let bus: MessageBus;
let handler: ReturnType<typeof ticketRetirementConsumer>;
const subscribers: Array<{ disconnect: () => void }> = [];

beforeAll(async () => {
  admin = await logInAdmin();
  pool = new Pool({ connectionString: env()['QUEUE_DATABASE_URL'], max: 3 });
  // Only parks what the consumer refuses; the Kafka test below publishes with it too.
  bus = createKafkaBus({ brokers: (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(','), clientId: 'queue-test', logger });
  const redis = redisWithPrefix();
  handler = ticketRetirementConsumer({
    retireTicket: retireTicket({ room: createRedisWaitingRoom(redis, { defaultAdmitsPerSecond: 50 }), publisher: createRedisTicketChangePublisher(redis, keyPrefix()), newId: randomUUID }),
    logger,
  });
});

afterAll(async () => {
  for (const subscriber of subscribers.splice(0)) subscriber.disconnect();
  closeRedisClients();
  await bus?.close();
  await pool?.end();
  await closeDatabases();
});

let offset = 0;
/** One delivery through the messaging package's consumer code (inbox, handler, after-commit), as Kafka would hand it over. */
const deliver = (event: KnownEvent) =>
  processMessage(
    { topic: 'test.booking.events', partition: 0, offset: String(offset++), key: event.stream.id, value: JSON.stringify(event), headers: {} },
    { bus, pool, ...consumerOptionsOf(handler), groupId: 'not-a-kafka-group', topics: ['test.booking.events'], logger, retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 } },
  );

function bookingConfirmed(scheduleId: string, fan: SignedUpFan, ticket: Ticket): KnownEvent {
  const bookingId = randomUUID();
  return createEvent(
    'BookingConfirmed',
    { bookingId, userId: fan.id, scheduleId, seatIds: [randomUUID()], amount: 99_000, paymentId: randomUUID(), currency: 'KRW', heldUntil: null, queueTicketId: ticketIdOf(ticket), seatSequence: 1 },
    { eventId: randomUUID(), streamId: bookingId, streamVersion: 3, now: new Date(), correlationId: 'queue-test' },
  ) as KnownEvent;
}

function ticketIdOf(ticket: Ticket): string {
  const parsed = parseQueueToken(ticket.token);
  if (!parsed) throw new Error(`not a queue token: ${ticket.token}`);
  return parsed.ticketId;
}

async function listenToTickets(scheduleId: string) {
  const subscriber = createRedis(redisUrl());
  subscribers.push(subscriber);
  const messages: QueueTicketChanged[] = [];
  subscriber.on('message', (_channel: string, raw: string) => messages.push(queueTicketChangedSchema.parse(JSON.parse(raw))));
  await subscriber.subscribe(realtimeChannels.queueTicket(keyPrefix(), scheduleId));
  return messages;
}

const statusOf = async (fan: SignedUpFan, ticket: Ticket) => (await ticketOf(fan, ticket.token)).status;
const becomes = (fan: SignedUpFan, ticket: Ticket, status: Ticket['status']) =>
  eventually(async () => ((await statusOf(fan, ticket)) === status ? true : undefined), 10_000, `ticket ${ticket.queueNumber} to be ${status}`);

/** A schedule whose cap admits one fan: the first is ACTIVE, the others wait behind them. */
async function fullRoom(fans: number) {
  const people = await signUpFans(fans);
  const scheduleId = await openSchedule();
  await setPolicy(admin, scheduleId, { admitsPerSecond: 100, maxActive: 1 });
  const tickets: Ticket[] = [];
  for (const fan of people) tickets.push(await enter(fan, scheduleId));
  await becomes(people[0]!, tickets[0]!, 'ACTIVE');
  await sleep(300);
  expect(await statusOf(people[1]!, tickets[1]!)).toBe('WAITING');
  return { scheduleId, fans: people, tickets };
}

describe('a confirmed booking retires its queue ticket', () => {
  it('stops the ticket admitting, frees its ACTIVE slot for the next fan at the next tick, and tells subscribers', async () => {
    const { scheduleId, fans, tickets } = await fullRoom(3);
    const [first, second, third] = fans as [SignedUpFan, SignedUpFan, SignedUpFan];
    const announced = await listenToTickets(scheduleId);
    const before = Date.now();

    expect(await deliver(bookingConfirmed(scheduleId, first, tickets[0]!))).toBe('handled');

    const retired = await ticketOf(first, tickets[0]!.token);
    expect(retired.status).toBe('EXPIRED');
    expect(Date.parse(retired.expiresAt!)).toBeGreaterThanOrEqual(before - 1_000);
    expect(Date.parse(retired.expiresAt!)).toBeLessThanOrEqual(Date.now() + 1_000);
    expect(await verify({ token: tickets[0]!.token, scheduleId }, { token: first.token })).toEqual({ status: 200, body: { valid: false, reason: 'EXPIRED' } });

    await becomes(second, tickets[1]!, 'ACTIVE');
    expect(await statusOf(third, tickets[2]!)).toBe('WAITING');
    expect(await statsOf(admin, scheduleId)).toMatchObject({ active: 1, admitted: 2, waiting: 1 });

    const message = await eventually(async () => announced[0], 5_000, 'the retirement message');
    expect(message).toEqual({ scheduleId, ticketId: ticketIdOf(tickets[0]!), queueNumber: 1, change: 'RETIRED', status: 'EXPIRED', at: retired.expiresAt });
  });

  it('is harmless twice: a redelivery is skipped, and a second confirmation for the same ticket frees no second slot', async () => {
    const { scheduleId, fans, tickets } = await fullRoom(3);
    const [first, second, third] = fans as [SignedUpFan, SignedUpFan, SignedUpFan];
    const confirmed = bookingConfirmed(scheduleId, first, tickets[0]!);
    expect(await deliver(confirmed)).toBe('handled');
    await becomes(second, tickets[1]!, 'ACTIVE');

    expect(await deliver(confirmed)).toBe('duplicate');
    expect(await deliver(bookingConfirmed(scheduleId, first, tickets[0]!))).toBe('handled');

    // The slot the first fan held is the second fan's now: nobody else gets in.
    await sleep(500);
    expect(await statusOf(third, tickets[2]!)).toBe('WAITING');
    expect(await statusOf(first, tickets[0]!)).toBe('EXPIRED');
    expect(await statsOf(admin, scheduleId)).toMatchObject({ active: 1, admitted: 2 });
    expect(await sql('queue', 'SELECT 1 FROM inbox WHERE event_id = $1 AND consumer = $2', [confirmed.eventId, TICKET_RETIREMENT_CONSUMER])).toHaveLength(1);
  });

  it('given three confirmations fetched together, then each ticket is retired and their events go to the outbox in one insert', async () => {
    const people = await signUpFans(3);
    const scheduleId = await openSchedule();
    await setPolicy(admin, scheduleId, { admitsPerSecond: 100, maxActive: 3 });
    const tickets: Ticket[] = [];
    for (const fan of people) tickets.push(await enter(fan, scheduleId));
    for (const [i, fan] of people.entries()) await becomes(fan, tickets[i]!, 'ACTIVE');
    const confirmations = people.map((fan, i) => bookingConfirmed(scheduleId, fan, tickets[i]!));
    // Every statement the consumer's clients send, by its first words.
    const statements: string[] = [];
    const counted = new Pool({ connectionString: env()['QUEUE_DATABASE_URL'], max: 1 });
    counted.on('connect', (client) => {
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
        statements.push(String((args[0] as { text?: string }).text ?? args[0]).trim().split(/\s+/).slice(0, 2).join(' '));
        return query(...args);
      };
    });
    try {
      const handled = await processMessages(
        confirmations.map((event, i) => ({ topic: 'test.booking.events', partition: 0, offset: String(offset++ + i), key: event.stream.id, value: JSON.stringify(event), headers: {} })),
        { bus, pool: counted, ...consumerOptionsOf(handler), groupId: 'not-a-kafka-group', topics: ['test.booking.events'], logger },
      );
      expect(handled).toEqual(['handled', 'handled', 'handled']);
    } finally {
      await counted.end();
    }

    expect(statements).toEqual(['BEGIN; INSERT', 'INSERT INTO', 'COMMIT']);
    for (const [i, fan] of people.entries()) expect(await statusOf(fan, tickets[i]!)).toBe('EXPIRED');
    const events = await sql<{ aggregate_id: string }>('queue', `SELECT aggregate_id FROM outbox WHERE event_type = 'TicketRetired' AND aggregate_id = ANY($1::text[]) ORDER BY position`, [
      tickets.map(ticketIdOf),
    ]);
    expect(events.map((row) => row.aggregate_id)).toEqual(tickets.map(ticketIdOf));
  });

  it('leaves alone an unknown ticket, a ticket of someone else and a ticket still waiting', async () => {
    const { scheduleId, fans, tickets } = await fullRoom(2);
    const [first, second] = fans as [SignedUpFan, SignedUpFan];
    const announced = await listenToTickets(scheduleId);

    const unknown = { ...tickets[0]!, token: `v1.${scheduleId}.${randomUUID()}.${'x'.repeat(43)}` };
    expect(await deliver(bookingConfirmed(scheduleId, first, unknown))).toBe('handled');
    expect(await deliver(bookingConfirmed(scheduleId, second, tickets[0]!))).toBe('handled');
    expect(await deliver(bookingConfirmed(scheduleId, second, tickets[1]!))).toBe('handled');

    await sleep(300);
    expect(await statusOf(first, tickets[0]!)).toBe('ACTIVE');
    expect(await statusOf(second, tickets[1]!)).toBe('WAITING');
    expect(announced).toEqual([]);
  });

  it('is what the queue process does with a BookingConfirmed on the run\'s booking topic, and it parks what it cannot read', async () => {
    const { scheduleId, fans, tickets } = await fullRoom(2);
    const [first, second] = fans as [SignedUpFan, SignedUpFan];
    const topic = topicFor('booking', env()['KAFKA_TOPIC_PREFIX']);
    const confirmed = bookingConfirmed(scheduleId, first, tickets[0]!);
    const malformed = JSON.stringify({ ...confirmed, eventId: randomUUID(), payload: { ...confirmed.payload, queueTicketId: '' } });

    await bus.publish(topic, [
      { key: confirmed.stream.id, value: malformed },
      { key: confirmed.stream.id, value: JSON.stringify(confirmed) },
    ]);

    await becomes(first, tickets[0]!, 'EXPIRED');
    await becomes(second, tickets[1]!, 'ACTIVE');
    const deadLetters = createDeadLetters({ bus, logger });
    const parked = await eventually(
      async () =>
        (await deadLetters.list(deadLetterTopicFor(topic), 10_000)).find(
          (message) => message.value === malformed && message.headers[DLQ_HEADERS.consumer] === TICKET_RETIREMENT_CONSUMER,
        ),
      60_000,
      'the malformed message on the dead-letter topic',
    );
    expect(parked.reason).toMatch(/^malformed: .*queueTicketId/);
  }, 90_000);
});
