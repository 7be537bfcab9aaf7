import { randomUUID } from 'node:crypto';
import type { PoolClient } from 'pg';
import { parseEnvelope, type EventEnvelope } from '@ticketing/contracts';
import { createScratchPool } from '@ticketing/test-support';
import { appendToOutbox, appendToOutboxUnlessWritten } from '../src/append-to-outbox';
import type { MessageBus } from '../src/kafka-bus';
import { createOutboxRelay } from '../src/outbox-relay';
import { bookingEvent, createBus, logger, readTopic, scratchBooking, uniqueTopic } from './support';

/** The client, with every statement it is sent counted. */
function counted(client: PoolClient): { client: PoolClient; statements: () => number } {
  let statements = 0;
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  const spy = new Proxy(client, {
    get: (target, name, receiver) =>
      name === 'query'
        ? (...args: unknown[]) => {
            statements++;
            return query(...args);
          }
        : Reflect.get(target, name, receiver),
  });
  return { client: spy, statements: () => statements };
}

describe('appendToOutbox, the one outbox writer', () => {
  let db: Awaited<ReturnType<typeof scratchBooking>>;
  let bus: MessageBus;

  beforeEach(async () => {
    db = await scratchBooking();
    bus = createBus('append');
  });
  afterEach(async () => {
    await bus.close();
    await db.drop();
  });

  /** Runs `work` in a transaction on a counted client; the count of its statements, BEGIN and COMMIT excluded. */
  async function inTransaction(work: (client: PoolClient) => Promise<void>): Promise<number> {
    const raw = await db.pool.connect();
    try {
      await raw.query('BEGIN');
      const { client, statements } = counted(raw);
      await work(client);
      await raw.query('COMMIT');
      return statements();
    } catch (error) {
      await raw.query('ROLLBACK');
      throw error;
    } finally {
      raw.release();
    }
  }

  it('given five events of two aggregates, when appended, then one statement writes five rows in the order given, each with its headers', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const events: EventEnvelope[] = [bookingEvent(a, 0), bookingEvent(a, 1), bookingEvent(b, 0), { ...bookingEvent(a, 2), causationId: 'cause-1' }, bookingEvent(b, 1)];

    expect(await inTransaction((client) => appendToOutbox(client, events))).toBe(1);

    const { rows } = await db.pool.query<{ id: string; aggregate_type: string; aggregate_id: string; event_type: string; payload: EventEnvelope; headers: unknown }>(
      'SELECT id, aggregate_type, aggregate_id, event_type, payload, headers FROM outbox ORDER BY position',
    );
    expect(rows.map((row) => row.id)).toEqual(events.map((event) => event.eventId));
    expect(rows[3]).toEqual({
      id: events[3]!.eventId,
      aggregate_type: 'booking',
      aggregate_id: a,
      event_type: 'TestHappened',
      payload: events[3],
      headers: { 'correlation-id': 'test', 'causation-id': 'cause-1' },
    });
    expect(rows[0]!.headers).toEqual({ 'correlation-id': 'test' });
  });

  it('given no events, then it sends nothing at all', async () => {
    expect(await inTransaction((client) => appendToOutbox(client, []))).toBe(0);
    expect((await db.pool.query('SELECT 1 FROM outbox')).rowCount).toBe(0);
  });

  it('given the caller rolls back, then none of its rows remain', async () => {
    await expect(
      inTransaction(async (client) => {
        await appendToOutbox(client, [bookingEvent(randomUUID(), 0)]);
        throw new Error('the state change failed');
      }),
    ).rejects.toThrow('the state change failed');
    expect((await db.pool.query('SELECT 1 FROM outbox')).rowCount).toBe(0);
  });

  it('given rows it wrote, when the relay runs, then each is published once as the envelope written, keyed by aggregate, in stream order, with its headers', async () => {
    const topic = uniqueTopic();
    await bus.ensureTopics([topic], 3);
    const [a, b] = [randomUUID(), randomUUID()];
    const events = [bookingEvent(a, 0), bookingEvent(b, 0), bookingEvent(a, 1), bookingEvent(a, 2), bookingEvent(b, 1)];
    await inTransaction((client) => appendToOutbox(client, events));

    const relay = createOutboxRelay({ pool: db.pool, bus, topicFor: () => topic, logger });
    expect(await relay.runOnce()).toBe(5);

    const messages = await readTopic(bus, topic);
    expect(messages).toHaveLength(5);
    const byId = new Map(messages.map((message) => [parseEnvelope(message.value).ok ? (JSON.parse(message.value!) as EventEnvelope).eventId : 'unreadable', message]));
    for (const event of events) {
      const message = byId.get(event.eventId);
      expect(message && JSON.parse(message.value!)).toEqual(event);
      expect(message).toMatchObject({ key: event.stream.id, headers: { 'event-type': 'TestHappened', 'correlation-id': 'test' } });
    }
    const versionsOf = (id: string) => messages.filter((m) => m.key === id).map((m) => (JSON.parse(m.value!) as EventEnvelope).streamVersion);
    expect([versionsOf(a), versionsOf(b)]).toEqual([
      [0, 1, 2],
      [0, 1],
    ]);
  });
});

describe('appendToOutboxUnlessWritten, for a reaction redelivered with fresh event ids', () => {
  it('given a stream position already written, then one statement skips its event and writes the others', async () => {
    // The queue's outbox: it has the unique (aggregate_type, aggregate_id, streamVersion) index.
    const db = await createScratchPool('queue', 2);
    const client = await db.pool.connect();
    try {
      const ticket = randomUUID();
      const first: EventEnvelope = { ...bookingEvent(ticket, 0), stream: { type: 'queue-ticket', id: ticket } };
      await appendToOutbox(client, [first]);
      const again = { ...bookingEvent(ticket, 0), stream: first.stream };
      const next = { ...bookingEvent(ticket, 1), stream: first.stream };

      const { client: spy, statements } = counted(client);
      await appendToOutboxUnlessWritten(spy, [again, next]);

      expect(statements()).toBe(1);
      const { rows } = await client.query<{ id: string }>('SELECT id FROM outbox WHERE aggregate_id = $1 ORDER BY position', [ticket]);
      expect(rows.map((row) => row.id)).toEqual([first.eventId, next.eventId]);
    } finally {
      client.release();
      await db.drop();
    }
  });
});
