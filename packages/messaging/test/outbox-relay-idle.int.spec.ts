import pg, { type Pool, type PoolClient } from 'pg';
import type { MessageBus } from '../src/kafka-bus';
import { createOutboxRelay } from '../src/outbox-relay';
import { bookingEvent, createBus, eventually, logger, scratchBooking, uniqueTopic, writeOutbox } from './support';

/** Pools the relays own, ended after each test. */
const relayPools: Pool[] = [];

/**
 * A pool of the relay's own on the same database (writers never borrow its clients), counting its
 * rounds (one BEGIN each, sent with the claim) and statements, and calling `afterClaim` after each claim read.
 */
function countingPool(shared: Pool, afterClaim: () => Promise<void> = async () => undefined) {
  const pool = new pg.Pool({ connectionString: (shared as unknown as { options: { connectionString: string } }).options.connectionString, max: 2 });
  relayPools.push(pool);
  const counts = { rounds: 0, statements: 0 };
  const wrapped = new WeakSet<PoolClient>();
  const counted = Object.create(pool) as Pool;
  counted.connect = (async () => {
    const client = await pool.connect();
    if (!wrapped.has(client)) {
      wrapped.add(client);
      const query = client.query.bind(client) as (text: string, values?: unknown[]) => Promise<unknown>;
      (client as unknown as { query: typeof query }).query = async (text, values) => {
        counts.statements++;
        if (typeof text === 'string' && text.startsWith('BEGIN')) counts.rounds++;
        const result = await query(text, values);
        if (typeof text === 'string' && text.includes('SKIP LOCKED')) await afterClaim();
        return result;
      };
    }
    return client;
  }) as Pool['connect'];
  return { pool: counted, counts };
}

const unpublished = async (pool: Pool) => Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM outbox WHERE published_at IS NULL')).rows[0]?.n);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('an idle outbox relay', () => {
  let db: { pool: Pool; drop: () => Promise<void> };
  let bus: MessageBus;
  let topic: string;

  beforeEach(async () => {
    db = await scratchBooking();
    bus = createBus('relay-idle');
    topic = uniqueTopic();
    await bus.ensureTopics([topic], 1);
  });

  afterEach(async () => {
    await bus.close();
    await Promise.all(relayPools.splice(0).map((pool) => pool.end()));
    await db.drop();
  });

  it('given an empty outbox, when left alone for 3 s with default timings, then it reads the outbox in at most 2 rounds (it polled every 200 ms: 15)', async () => {
    const { pool, counts } = countingPool(db.pool);
    const relay = createOutboxRelay({ pool, bus, topicFor: () => topic, logger });
    relay.start();
    await sleep(3_000);
    await relay.stop();
    expect(counts.rounds).toBeGreaterThanOrEqual(1);
    expect(counts.rounds).toBeLessThanOrEqual(2);
    expect(counts.statements).toBeLessThanOrEqual(2 * 3);
  });

  it('given a relay that would not poll again for ten minutes, when a write nudges it, then the row is published by the next round', async () => {
    const { pool, counts } = countingPool(db.pool);
    const relay = createOutboxRelay({ pool, bus, topicFor: () => topic, idleIntervalMs: 600_000, logger });
    relay.start();
    await eventually(async () => counts.rounds >= 1, 30_000, 'the first round');
    await writeOutbox(db.pool, bookingEvent('nudged', 0));
    relay.nudge();
    await eventually(async () => (await unpublished(db.pool)) === 0, 30_000, 'the nudged row to be published');
    await relay.stop();
    expect(counts.rounds).toBe(2);
  });

  it('given a write that commits while a round is reading (its nudge finds no pause to end), then one more round runs at once and publishes it', async () => {
    let raced = false;
    const { pool, counts } = countingPool(db.pool, async () => {
      if (raced) return;
      raced = true;
      // The round's read is done and missed this row; the writer commits and nudges now.
      await writeOutbox(db.pool, bookingEvent('raced', 0));
      relay.nudge();
    });
    const relay = createOutboxRelay({ pool, bus, topicFor: () => topic, idleIntervalMs: 600_000, logger });
    relay.start();
    await eventually(async () => raced && (await unpublished(db.pool)) === 0, 30_000, 'the raced row to be published');
    await relay.stop();
    expect(counts.rounds).toBe(2);
  });

  it('given a write nobody nudges (another instance, a script), then the fallback poll publishes it', async () => {
    const { pool, counts } = countingPool(db.pool);
    const relay = createOutboxRelay({ pool, bus, topicFor: () => topic, idleIntervalMs: 500, logger });
    relay.start();
    await eventually(async () => counts.rounds >= 1, 30_000, 'the first round');
    await writeOutbox(db.pool, bookingEvent('unnudged', 0));
    await eventually(async () => (await unpublished(db.pool)) === 0, 30_000, 'the fallback poll to publish the row');
    await relay.stop();
  });
});
