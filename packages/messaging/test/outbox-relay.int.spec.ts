import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { createScratchPool } from '@ticketing/test-support';
import { parseEnvelope } from '@ticketing/contracts';
import type { MessageBus } from '../src/kafka-bus';
import { createOutboxRelay } from '../src/outbox-relay';
import { bookingEvent, createBus, eventually, logger, readTopic, scratchBooking, uniqueTopic, writeOutbox } from './support';

/** Per key, the stream versions in the order they sit on the topic. */
function versionsByKey(messages: { key: string | null; value: string | null }[]): Map<string, number[]> {
  const byKey = new Map<string, number[]>();
  for (const message of messages) {
    const parsed = parseEnvelope(message.value);
    if (!parsed.ok) throw new Error(`unreadable message on topic: ${parsed.reason}`);
    const versions = byKey.get(message.key ?? '') ?? [];
    versions.push(parsed.value.streamVersion);
    byKey.set(message.key ?? '', versions);
  }
  return byKey;
}

// Group joins and rebalances take seconds against a real broker.

describe('outbox relay', () => {
  let db: { pool: Pool; drop: () => Promise<void> };
  let bus: MessageBus;
  let topic: string;

  beforeEach(async () => {
    db = await scratchBooking();
    bus = createBus('relay');
    topic = uniqueTopic();
    await bus.ensureTopics([topic], 3);
  });

  afterEach(async () => {
    await bus.close();
    await db.drop();
  });

  it('publishes every outbox row once, in order per aggregate key, and stamps it published', async () => {
    const aggregates = [randomUUID(), randomUUID(), randomUUID()];
    const written: string[] = [];
    for (let version = 0; version < 5; version++) {
      for (const id of aggregates) {
        const event = bookingEvent(id, version);
        await writeOutbox(db.pool, event);
        written.push(event.eventId);
      }
    }
    const relay = createOutboxRelay({ pool: db.pool, bus, topicFor: () => topic, batchSize: 4, logger });

    let rounds = 0;
    while ((await relay.runOnce()) > 0) rounds++;

    expect(rounds).toBe(4);
    const messages = await readTopic(bus, topic);
    expect(messages).toHaveLength(15);
    expect(messages.map((m) => (JSON.parse(m.value ?? '{}') as { eventId?: string }).eventId).sort()).toEqual([...written].sort());
    for (const id of aggregates) expect(versionsByKey(messages).get(id)).toEqual([0, 1, 2, 3, 4]);
    expect(messages.every((m) => m.headers['event-type'] === 'TestHappened' && m.headers['correlation-id'] === 'test')).toBe(true);
    const { rows } = await db.pool.query<{ unpublished: string }>('SELECT count(*) FILTER (WHERE published_at IS NULL) AS unpublished FROM outbox');
    expect(rows[0]?.unpublished).toBe('0');
    expect(await relay.runOnce()).toBe(0);
  });

  it('given two relays running at once over 200 rows, then each row is published exactly once and all are marked published', async () => {
    const aggregates = Array.from({ length: 20 }, () => randomUUID());
    const eventIds = new Set<string>();
    for (let version = 0; version < 10; version++) {
      for (const id of aggregates) {
        const event = bookingEvent(id, version);
        await writeOutbox(db.pool, event);
        eventIds.add(event.eventId);
      }
    }
    const otherBus = createBus('relay-2');
    // Each relay's sends are counted and slowed a little, so both are mid-round at the same time.
    const sent = [0, 0];
    const observed = (target: MessageBus, index: number): MessageBus => ({
      ...target,
      publishBatch: async (batches) => {
        sent[index] = (sent[index] ?? 0) + batches.reduce((n, b) => n + b.messages.length, 0);
        await new Promise((resolve) => setTimeout(resolve, 10));
        await target.publishBatch(batches);
      },
    });
    const relays = [
      createOutboxRelay({ pool: db.pool, bus: observed(bus, 0), topicFor: () => topic, batchSize: 10, intervalMs: 5, logger }),
      createOutboxRelay({ pool: db.pool, bus: observed(otherBus, 1), topicFor: () => topic, batchSize: 10, intervalMs: 5, logger }),
    ];
    try {
      relays.forEach((relay) => relay.start());
      await eventually(async () => {
        const { rows } = await db.pool.query<{ n: string }>('SELECT count(*) AS n FROM outbox WHERE published_at IS NULL');
        return rows[0]?.n === '0';
      }, 30_000, 'the outbox to drain');
      await Promise.all(relays.map((relay) => relay.stop()));
    } finally {
      await otherBus.close();
    }

    const messages = await readTopic(bus, topic);
    const published = messages.map((m) => {
      const parsed = parseEnvelope(m.value);
      if (!parsed.ok) throw new Error(parsed.reason);
      return parsed.value.eventId;
    });
    expect(sent.every((n) => n > 0)).toBe(true);
    expect(sent[0]! + sent[1]!).toBe(200);
    expect(published).toHaveLength(200);
    expect(new Set(published)).toEqual(eventIds);
    // Per-aggregate order survives two relays (older rows of an aggregate held by the other relay block newer ones).
    for (const id of aggregates) expect(versionsByKey(messages).get(id)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('given an aggregate’s older row locked by another relay, then its newer row is held back while other aggregates’ rows go, and a round is two round trips', async () => {
    const [x, y] = [randomUUID(), randomUUID()];
    const x0 = bookingEvent(x, 0);
    await writeOutbox(db.pool, x0);
    await writeOutbox(db.pool, bookingEvent(x, 1));
    await writeOutbox(db.pool, bookingEvent(y, 0));
    const relay = createOutboxRelay({ pool: db.pool, bus, topicFor: () => topic, logger });

    // "Another relay" mid-round: x's first row claimed and not yet published.
    const other = await db.pool.connect();
    await other.query('BEGIN');
    await other.query('SELECT 1 FROM outbox WHERE id = $1 FOR UPDATE', [x0.eventId]);
    const statements: string[] = [];
    const connect = db.pool.connect.bind(db.pool);
    const counting = jest.spyOn(db.pool, 'connect').mockImplementation(async () => {
      const client = await connect();
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
        statements.push(String(args[0]).trim().split(/\s+/)[0]!);
        return query(...args);
      };
      return client;
    });
    try {
      expect(await relay.runOnce()).toBe(1);
    } finally {
      counting.mockRestore();
      await other.query('ROLLBACK');
      other.release();
    }
    // BEGIN with the claim that stamps the rows it sends, then COMMIT once Kafka acknowledged.
    expect(statements).toEqual(['BEGIN;', 'COMMIT']);
    expect(versionsByKey(await readTopic(bus, topic))).toEqual(new Map([[y, [0]]]));

    expect(await relay.runOnce()).toBe(2);
    const byKey = versionsByKey(await readTopic(bus, topic));
    expect(byKey.get(x)).toEqual([0, 1]);
  });

  it('given Kafka refusing a round, then its rows stay unpublished (the stamp rolls back) and the next round sends them', async () => {
    const id = randomUUID();
    for (const version of [0, 1]) await writeOutbox(db.pool, bookingEvent(id, version));
    let refuse = true;
    const flaky: MessageBus = {
      ...bus,
      publishBatch: async (batches) => {
        if (refuse) throw new Error('broker not available');
        return bus.publishBatch(batches);
      },
    };
    const relay = createOutboxRelay({ pool: db.pool, bus: flaky, topicFor: () => topic, logger });
    const unpublished = async () => Number((await db.pool.query<{ n: string }>('SELECT count(*) AS n FROM outbox WHERE published_at IS NULL')).rows[0]!.n);

    await expect(relay.runOnce()).rejects.toThrow('broker not available');
    expect(await unpublished()).toBe(2);
    expect(await readTopic(bus, topic)).toEqual([]);

    refuse = false;
    expect(await relay.runOnce()).toBe(2);
    expect(await unpublished()).toBe(0);
    expect(versionsByKey(await readTopic(bus, topic)).get(id)).toEqual([0, 1]);
  });

  it('plans its claim once per connection: PREPARE in the first round\'s BEGIN, EXECUTE after, every round from one cached plan; a lost or old plan is made again', async () => {
    const single = await createScratchPool('booking', 1); // one connection: its prepared statements are what the relay sees
    try {
      const aggregates = [randomUUID(), randomUUID(), randomUUID()];
      for (const id of aggregates) await writeOutbox(single.pool, bookingEvent(id, 0));
      const relay = createOutboxRelay({ pool: single.pool, bus, topicFor: () => topic, batchSize: 1, logger });
      // Another relay on the pool (same batch size) knows what the first prepared on the connection.
      const another = createOutboxRelay({ pool: single.pool, bus, topicFor: () => topic, batchSize: 1, logger });
      const openings: string[] = [];
      const connect = single.pool.connect.bind(single.pool);
      const watched = new WeakSet<object>();
      const watching = jest.spyOn(single.pool, 'connect').mockImplementation(async () => {
        const client = await connect();
        if (watched.has(client)) return client; // one connection, handed out every round
        watched.add(client);
        const query = client.query.bind(client) as (...args: unknown[]) => unknown;
        (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
          const text = String(args[0]);
          if (text.startsWith('BEGIN')) openings.push(text.replace(/ AS [\s\S]*;/, ' AS …;'));
          return query(...args);
        };
        return client;
      });
      try {
        expect([await relay.runOnce(), await another.runOnce(), await relay.runOnce(), await another.runOnce()]).toEqual([1, 1, 1, 0]);
      } finally {
        watching.mockRestore();
      }
      expect(openings).toEqual([
        'BEGIN; PREPARE outbox_relay_claim_1 AS …; EXECUTE outbox_relay_claim_1',
        'BEGIN; EXECUTE outbox_relay_claim_1',
        'BEGIN; EXECUTE outbox_relay_claim_1',
        'BEGIN; EXECUTE outbox_relay_claim_1',
      ]);
      // PostgreSQL's own count: four runs of the one generic plan, never planned for a run.
      const plans = await single.pool.query("SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE name = 'outbox_relay_claim_1'");
      expect(plans.rows).toEqual([{ generic_plans: '4', custom_plans: '0' }]);

      // A connection that lost the statement (DEALLOCATE behind the relay's back): that round
      // fails, and the next prepares it again and publishes.
      await single.pool.query('DEALLOCATE outbox_relay_claim_1');
      await writeOutbox(single.pool, bookingEvent(aggregates[0]!, 1));
      await expect(relay.runOnce()).rejects.toThrow(/outbox_relay_claim_1/);
      expect(await relay.runOnce()).toBe(1);
      expect(versionsByKey(await readTopic(bus, topic)).get(aggregates[0]!)).toEqual([0, 1]);

      // A plan older than replanAfterMs is made again (a kept plan does not follow the table's growth).
      openings.length = 0;
      const replanning = createOutboxRelay({ pool: single.pool, bus, topicFor: () => topic, batchSize: 1, replanAfterMs: 0, logger });
      expect(await replanning.runOnce()).toBe(0);
      expect(openings).toEqual(['BEGIN; DEALLOCATE outbox_relay_claim_1; PREPARE outbox_relay_claim_1 AS …; EXECUTE outbox_relay_claim_1']);
      expect((await single.pool.query("SELECT generic_plans FROM pg_prepared_statements WHERE name = 'outbox_relay_claim_1'")).rows).toEqual([{ generic_plans: '1' }]);
    } finally {
      await single.drop();
    }
  });
});
