import { randomUUID } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { deadLetterTopicFor, parseEnvelope, type EventEnvelope } from '@ticketing/contracts';
import { createDeadLetters } from '../src/dead-letters';
import { DLQ_HEADERS, processMessage, processMessages, runConsumer, type ConsumerOptions } from '../src/inbox-consumer';
import type { IncomingMessage, MessageBus, Subscription } from '../src/kafka-bus';
import { bookingEvent, createBus, eventually, logger, scratchBooking, uniqueTopic } from './support';

const retry = { attempts: 3, baseDelayMs: 10, maxDelayMs: 100 };

// Group joins and rebalances take seconds against a real broker.

describe('inbox consumer', () => {
  let db: { pool: Pool; drop: () => Promise<void> };
  let bus: MessageBus;
  let topic: string;
  let groupId: string;
  const subscriptions: Subscription[] = [];

  /** The "effect" a handler has: one row per handled event, written through the inbox transaction. */
  const recordEffect = async (envelope: EventEnvelope, tx: PoolClient) => {
    await tx.query('INSERT INTO test_effects (event_id) VALUES ($1)', [envelope.eventId]);
  };
  const effectsOf = async (eventId: string) =>
    Number((await db.pool.query<{ n: string }>('SELECT count(*) AS n FROM test_effects WHERE event_id = $1', [eventId])).rows[0]?.n);
  const handled = (eventId: string) => eventually(async () => (await effectsOf(eventId)) > 0, 30_000, `event ${eventId} to be handled`);

  const publish = (event: EventEnvelope | string, key = 'booking-1') =>
    bus.publish(topic, [{ key, value: typeof event === 'string' ? event : JSON.stringify(event), headers: { 'event-type': 'TestHappened' } }]);

  const start = async (overrides: Partial<ConsumerOptions> = {}) => {
    const subscription = await runConsumer({ bus, pool: db.pool, consumer: 'test-consumer', groupId, topics: [topic], handle: recordEffect, logger, retry, ...overrides });
    subscriptions.push(subscription);
    return subscription;
  };

  beforeEach(async () => {
    db = await scratchBooking();
    // A scratch table standing in for a service's state; the inbox table is the real one.
    await db.pool.query('CREATE TABLE test_effects (event_id uuid NOT NULL, at timestamptz NOT NULL DEFAULT now())');
    bus = createBus('consumer');
    topic = uniqueTopic();
    groupId = `test-group-${randomUUID()}`;
    await bus.ensureTopics([topic], 3);
  });

  afterEach(async () => {
    await Promise.all(subscriptions.splice(0).map((s) => s.stop()));
    await bus.close();
    await db.drop();
  });

  it('given the same event delivered twice, then its effect happens once', async () => {
    const event = bookingEvent(randomUUID(), 0);
    const sentinel = bookingEvent(randomUUID(), 0);
    await start();

    await publish(event);
    await publish(event);
    await publish(sentinel); // same key, same partition: once it is handled, both copies were processed
    await handled(sentinel.eventId);

    expect(await effectsOf(event.eventId)).toBe(1);
    const inbox = await db.pool.query('SELECT 1 FROM inbox WHERE event_id = $1 AND consumer = $2', [event.eventId, 'test-consumer']);
    expect(inbox.rowCount).toBe(1);
  });

  it('given events the consumer does not act on, then they open no connection and leave no inbox row, and the events it acts on still do', async () => {
    const acted = bookingEvent(randomUUID(), 0, 'SeatsHeld');
    const ignored = Array.from({ length: 20 }, (_, i) => bookingEvent(randomUUID(), i, 'TestHappened'));
    const handledIds: string[] = [];
    const connect = jest.spyOn(db.pool, 'connect');
    const options: ConsumerOptions = {
      bus, pool: db.pool, consumer: 'test-consumer', groupId, topics: [topic], logger, retry,
      acts: (envelope) => envelope.type === 'SeatsHeld',
      handle: async (envelope, tx) => {
        handledIds.push(envelope.eventId);
        await recordEffect(envelope, tx);
      },
    };
    const message = (event: EventEnvelope, offset: number) =>
      ({ topic, partition: 0, offset: String(offset), key: 'booking-1', value: JSON.stringify(event), headers: {} }) satisfies IncomingMessage;

    const outcomes = [];
    for (const [i, event] of ignored.entries()) outcomes.push(await processMessage(message(event, i), options));
    expect(outcomes).toEqual(Array(20).fill('ignored'));
    expect(connect).not.toHaveBeenCalled();

    expect(await processMessage(message(acted, 20), options)).toBe('handled');
    expect(await processMessage(message(acted, 21), options)).toBe('duplicate');
    expect(handledIds).toEqual([acted.eventId]);
    const inbox = await db.pool.query<{ event_id: string }>('SELECT event_id FROM inbox');
    expect(inbox.rows.map((row) => row.event_id)).toEqual([acted.eventId]);
    connect.mockRestore();
  });

  it('parks a malformed message and an always-failing one on the DLQ, keeps consuming, and a redrive handles the latter once fixed', async () => {
    const poison = bookingEvent(randomUUID(), 0);
    const next = bookingEvent(randomUUID(), 1);
    let poisonAttempts = 0;
    let poisonFixed = false;
    await start({
      handle: async (envelope, tx) => {
        if (envelope.eventId === poison.eventId && !poisonFixed) {
          poisonAttempts++;
          throw new Error('seat map unavailable');
        }
        await recordEffect(envelope, tx);
      },
    });

    await publish('{"not": "an envelope"');
    await publish(poison);
    await publish(next);
    await handled(next.eventId);

    // The policy's three attempts one at a time, after one inside a batch when the fetch brought both together.
    expect(poisonAttempts).toBeGreaterThanOrEqual(3);
    expect(poisonAttempts).toBeLessThanOrEqual(4);
    expect(await effectsOf(poison.eventId)).toBe(0);
    // The failed attempts rolled back: no inbox row blocks a later redrive.
    expect((await db.pool.query('SELECT 1 FROM inbox WHERE event_id = $1', [poison.eventId])).rowCount).toBe(0);

    const deadLetters = createDeadLetters({ bus, logger });
    const dlq = deadLetterTopicFor(topic);
    const parked = await eventually(async () => {
      const listed = await deadLetters.list(dlq);
      return listed.length === 2 ? listed : undefined;
    }, 30_000, 'two dead letters');
    const [malformed, failed] = parked;
    expect(malformed?.reason).toMatch(/^malformed: message is not valid JSON/);
    expect(malformed?.value).toBe('{"not": "an envelope"');
    expect(failed?.reason).toBe('handler failed: seat map unavailable');
    expect(failed?.sourceTopic).toBe(topic);
    expect(failed?.headers[DLQ_HEADERS.consumer]).toBe('test-consumer');
    expect(failed?.headers['event-type']).toBe('TestHappened');

    poisonFixed = true;
    await deadLetters.redrive(failed!);
    await handled(poison.eventId);
    expect(await effectsOf(poison.eventId)).toBe(1);
  });

  describe('messages handled together (one partition, one fetch)', () => {
    const message = (event: EventEnvelope | string, offset: number): IncomingMessage => ({
      topic,
      partition: 0,
      offset: String(offset),
      key: 'booking-1',
      value: typeof event === 'string' ? event : JSON.stringify(event),
      headers: {},
    });
    /** Every statement each checked-out client sends, as its first word, and how many clients were taken. */
    const countStatements = () => {
      const counted = { connections: 0, statements: [] as string[] };
      const connect = db.pool.connect.bind(db.pool);
      const spy = jest.spyOn(db.pool, 'connect').mockImplementation(async () => {
        counted.connections++;
        const client = await connect();
        const query = client.query.bind(client) as (...args: unknown[]) => unknown;
        (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
          counted.statements.push(String(args[0]).trim().split(/\s+/)[0]!);
          return query(...args);
        };
        return client;
      });
      return { counted, restore: () => spy.mockRestore() };
    };
    const options = (overrides: Partial<ConsumerOptions> = {}): ConsumerOptions => ({
      bus, pool: db.pool, consumer: 'test-consumer', groupId, topics: [topic], logger, retry,
      acts: (envelope) => envelope.type !== 'Ignored',
      handle: recordEffect,
      ...overrides,
    });

    it('given ten events to handle among others, then they share one transaction: BEGIN with one inbox insert in one round trip, their writes, COMMIT', async () => {
      const earlier = bookingEvent(randomUUID(), 0);
      expect(await processMessage(message(earlier, 0), options())).toBe('handled');
      const events = Array.from({ length: 10 }, (_, i) => bookingEvent(randomUUID(), i));
      const batch = [
        message(events[0]!, 1),
        message(bookingEvent(randomUUID(), 0, 'Ignored'), 2),
        ...events.slice(1, 5).map((event, i) => message(event, 3 + i)),
        message(earlier, 7), // handled before: a redelivery
        message(events[4]!, 8), // the same event twice in one fetch
        ...events.slice(5).map((event, i) => message(event, 9 + i)),
      ];
      const { counted, restore } = countStatements();
      let outcomes;
      try {
        outcomes = await processMessages(batch, options());
      } finally {
        restore();
      }

      expect(outcomes).toEqual(['handled', 'ignored', 'handled', 'handled', 'handled', 'handled', 'duplicate', 'duplicate', 'handled', 'handled', 'handled', 'handled', 'handled']);
      expect(counted.connections).toBe(1);
      expect(counted.statements).toEqual(['BEGIN;', ...Array(10).fill('INSERT'), 'COMMIT']);
      for (const event of [earlier, ...events]) expect(await effectsOf(event.eventId)).toBe(1);
      const inbox = await db.pool.query('SELECT 1 FROM inbox');
      expect(inbox.rowCount).toBe(11);
    });

    it('given events whose ids are spelled in upper case, fetched together, then each is handled once, and a redelivery of one is a duplicate', async () => {
      const events = [0, 1, 2].map((i) => ({ ...bookingEvent(randomUUID(), i), eventId: randomUUID().toUpperCase() }));

      expect(await processMessages(events.map((event, i) => message(event, i)), options())).toEqual(['handled', 'handled', 'handled']);
      expect(await processMessages([message(events[0]!, 3), message(bookingEvent(randomUUID(), 3), 4)], options())).toEqual(['duplicate', 'handled']);
      for (const event of events) expect(await effectsOf(event.eventId)).toBe(1);
    });

    it('given one event, then its handling is three round trips: BEGIN with its inbox insert, its write, COMMIT', async () => {
      const event = bookingEvent(randomUUID(), 0);
      const { counted, restore } = countStatements();
      try {
        expect(await processMessage(message(event, 0), options())).toBe('handled');
      } finally {
        restore();
      }

      expect(counted.statements).toEqual(['BEGIN;', 'INSERT', 'COMMIT']);
      expect(await effectsOf(event.eventId)).toBe(1);
    });

    it('given a consumer that names the types it reads, then other types go unread (even malformed ones) and a malformed one of its types is parked', async () => {
      const parsed: string[] = [];
      const parse = (raw: string) => {
        parsed.push(raw);
        return parseEnvelope(raw);
      };
      const ours = bookingEvent(randomUUID(), 0, 'Wanted');
      const other = bookingEvent(randomUUID(), 1, 'Unwanted');
      const otherMalformed = JSON.stringify({ type: 'Unwanted', eventId: 'not-a-uuid' });
      const oursMalformed = JSON.stringify({ type: 'Wanted', eventId: 'not-a-uuid' });

      const outcomes = await processMessages(
        [message(ours, 0), message(other, 1), message(otherMalformed, 2), message(oursMalformed, 3), message('not json', 4)],
        options({ parse, reads: new Set(['Wanted']) }),
      );

      expect(outcomes).toEqual(['handled', 'ignored', 'ignored', 'dead-lettered', 'dead-lettered']);
      expect(parsed).toEqual([JSON.stringify(ours), oursMalformed, 'not json']);
      expect(await effectsOf(ours.eventId)).toBe(1);
      expect(await effectsOf(other.eventId)).toBe(0);
    });

    it('given a consumer name that is not a plain name, then nothing is written (it is spelled into the inbox SQL)', async () => {
      const event = bookingEvent(randomUUID(), 0);

      await expect(processMessage(message(event, 0), options({ consumer: "x', 'y" }))).rejects.toThrow(/inbox consumer name/);
      expect(await effectsOf(event.eventId)).toBe(0);
      expect((await db.pool.query('SELECT 1 FROM inbox WHERE event_id = $1', [event.eventId])).rowCount).toBe(0);
    });

    it('given a batch whose handlers leave after-commit steps, then the steps start in the messages\' order after the commit and run together', async () => {
      const events = Array.from({ length: 5 }, (_, i) => bookingEvent(randomUUID(), i));
      const started: string[] = [];
      const seen: number[] = [];
      // Each step waits until all five have started: steps run one after another would never get there.
      let allStarted: () => void = () => undefined;
      const barrier = new Promise<void>((resolve) => (allStarted = resolve));
      const timedOut = new Promise<'timed out'>((resolve) => setTimeout(() => resolve('timed out'), 5_000).unref());
      const outcomes = await processMessages(
        events.map((event, i) => message(event, i)),
        options({
          handle: async (envelope, tx) => {
            await recordEffect(envelope, tx);
            return async () => {
              started.push(envelope.eventId);
              if (started.length === events.length) allStarted();
              if ((await Promise.race([barrier, timedOut])) === 'timed out') started.push('timed out');
              seen.push(await effectsOf(envelope.eventId));
            };
          },
        }),
      );

      expect(outcomes).toEqual(Array(5).fill('handled'));
      // In order, none waited in vain, and each saw its message's effect committed.
      expect(started).toEqual(events.map((event) => event.eventId));
      expect(seen).toEqual([1, 1, 1, 1, 1]);
    });

    it('given prepare and finish, then handlers queue their writes in what prepare returned and finish writes them all in one statement before COMMIT', async () => {
      const events = Array.from({ length: 4 }, (_, i) => bookingEvent(randomUUID(), i));
      const { counted, restore } = countStatements();
      let outcomes;
      try {
        outcomes = await processMessages(
          events.map((event, i) => message(event, i)),
          options({
            prepare: async (envelopes) => ({ queued: [] as string[], fresh: envelopes.length }),
            handle: async (envelope, _tx, prepared) => void (prepared as { queued: string[] }).queued.push(envelope.eventId),
            finish: async (prepared, tx) => {
              const { queued, fresh } = prepared as { queued: string[]; fresh: number };
              expect(queued).toHaveLength(fresh);
              await tx.query('INSERT INTO test_effects (event_id) SELECT unnest($1::uuid[])', [queued]);
            },
          }),
        );
      } finally {
        restore();
      }

      expect(outcomes).toEqual(Array(4).fill('handled'));
      expect(counted.statements).toEqual(['BEGIN;', 'INSERT', 'COMMIT']);
      for (const event of events) expect(await effectsOf(event.eventId)).toBe(1);
    });

    it('given a finish that fails, then nothing of the batch stays and each message goes one by one, where no finish runs', async () => {
      const events = Array.from({ length: 3 }, (_, i) => bookingEvent(randomUUID(), i));
      let finishes = 0;
      const outcomes = await processMessages(
        events.map((event, i) => message(event, i)),
        options({
          prepare: async () => 'prepared',
          handle: async (envelope, tx, prepared) => {
            // Written at once when handled alone (no prepared), as a consumer's handler would.
            await recordEffect(envelope, tx);
            if (prepared === undefined) return;
            expect(prepared).toBe('prepared');
          },
          finish: async () => {
            finishes++;
            throw new Error('the queued writes failed');
          },
        }),
      );

      expect(outcomes).toEqual(Array(3).fill('handled'));
      expect(finishes).toBe(1);
      for (const event of events) expect(await effectsOf(event.eventId)).toBe(1);
    });

    it('given one handler failing inside a batch, then nothing of the batch stays, each message goes one by one, and only the poison one is parked', async () => {
      const events = Array.from({ length: 6 }, (_, i) => bookingEvent(randomUUID(), i));
      const poison = events[3]!;
      const outcomes = await processMessages(
        events.map((event, i) => message(event, i)),
        options({
          handle: async (envelope, tx) => {
            await recordEffect(envelope, tx);
            if (envelope.eventId === poison.eventId) throw new Error('seat map unavailable');
          },
        }),
      );

      expect(outcomes).toEqual(['handled', 'handled', 'handled', 'dead-lettered', 'handled', 'handled']);
      for (const event of events) expect(await effectsOf(event.eventId)).toBe(event === poison ? 0 : 1);
      expect((await db.pool.query('SELECT 1 FROM inbox WHERE event_id = $1', [poison.eventId])).rowCount).toBe(0);
    });
  });

  it('given events handled and the consumer stopped within the commit interval, then their offsets are committed on the way out', async () => {
    const events = Array.from({ length: 5 }, (_, i) => bookingEvent(randomUUID(), i));
    const subscription = await start();
    for (const event of events) await publish(event);
    await handled(events[4]!.eventId);

    await subscription.stop();

    const lag = await bus.groupLag!(groupId, [topic]);
    expect(lag).toEqual([{ groupId, topic, lag: 0 }]);
  });

  it('given a crash after the effect committed but before the offset commit, then the redelivery has no second effect', async () => {
    const event = bookingEvent(randomUUID(), 0);
    const sentinel = bookingEvent(randomUUID(), 1);
    const delivered: string[] = []; // offsets whose handling returned
    let crashed = false;
    // The bus as the consumer sees it: the effect commits, then the "process" dies before the
    // offset commit (the handle throws, so the bus never commits and redelivers).
    const crashingBus: MessageBus = {
      ...bus,
      consume: (options) =>
        bus.consume({
          ...options,
          handle: async (message: IncomingMessage) => {
            await options.handle(message);
            delivered.push(message.offset);
            if (!crashed) {
              crashed = true;
              throw new Error('simulated crash before the offset commit');
            }
          },
          // Both messages fetched together: the same crash after the batch's effects committed.
          handleMany: async (messages: IncomingMessage[]) => {
            await options.handleMany!(messages);
            delivered.push(...messages.map((message) => message.offset));
            if (!crashed) {
              crashed = true;
              throw new Error('simulated crash before the offset commit');
            }
          },
        }),
    };
    await start({ bus: crashingBus });

    await publish(event);
    await publish(sentinel);
    await handled(sentinel.eventId);
    // When both came in one batch, the sentinel's effect commits inside the crashing delivery,
    // before the redelivery: wait for that, not just for the sentinel.
    await eventually(async () => delivered.filter((offset) => offset === '0').length >= 2, 30_000, 'offset 0 to be handled again');

    expect(crashed).toBe(true);
    expect(await effectsOf(event.eventId)).toBe(1);
    expect(await effectsOf(sentinel.eventId)).toBe(1);
  });

  it('given the group is rewound after handling (offsets lost), then every redelivered event is skipped by the inbox', async () => {
    const events = [bookingEvent(randomUUID(), 0), bookingEvent(randomUUID(), 1)];
    const first = await start();
    for (const event of events) await publish(event);
    for (const event of events) await handled(event.eventId);
    await first.stop();
    subscriptions.splice(subscriptions.indexOf(first), 1);

    await bus.resetOffsets(groupId, topic);
    let redelivered = 0;
    const countingBus: MessageBus = {
      ...bus,
      consume: (options) =>
        bus.consume({
          ...options,
          handle: async (message) => void (redelivered++, await options.handle(message)),
          handleMany: async (messages) => void ((redelivered += messages.length), await options.handleMany!(messages)),
        }),
    };
    const sentinel = bookingEvent(randomUUID(), 2);
    await start({ bus: countingBus });
    await publish(sentinel);
    await handled(sentinel.eventId);

    expect(redelivered).toBe(3);
    for (const event of events) expect(await effectsOf(event.eventId)).toBe(1);
  });
});
