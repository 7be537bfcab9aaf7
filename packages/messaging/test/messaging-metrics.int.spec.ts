import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { prometheus } from '@ticketing/platform';
import { runConsumer } from '../src/inbox-consumer';
import type { MessageBus, Subscription } from '../src/kafka-bus';
import { createMessagingMetrics } from '../src/messaging-metrics';
import { createOutboxRelay } from '../src/outbox-relay';
import { bookingEvent, createBus, eventually, logger, scratchBooking, uniqueTopic, writeOutbox } from './support';

type Registry = InstanceType<typeof prometheus.Registry>;

/** One series' value as a scrape would read it (collect() runs), 0 when the series does not exist yet. */
async function valueOf(registry: Registry, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (!metric) throw new Error(`${name} is not registered`);
  const { values } = await metric.get();
  const found = values.find((value) => Object.entries(labels).every(([key, wanted]) => value.labels[key] === wanted));
  return found?.value ?? 0;
}

describe('the messaging pipeline on a service registry', () => {
  let db: { pool: Pool; drop: () => Promise<void> };
  let bus: MessageBus;
  let registry: Registry;
  const subscriptions: Subscription[] = [];

  beforeEach(async () => {
    db = await scratchBooking();
    bus = createBus('metrics');
    registry = new prometheus.Registry();
  });

  afterEach(async () => {
    await Promise.all(subscriptions.splice(0).map((s) => s.stop()));
    await bus.close();
    await db.drop();
  });

  it('given two unpublished outbox rows, the backlog is 2 with an age, and 0 with no age once the relay published them', async () => {
    createMessagingMetrics({ registry, pool: db.pool, bus, logger, outboxRefreshMs: 0 });
    expect(await valueOf(registry, 'outbox_backlog_events')).toBe(0);
    expect(await valueOf(registry, 'outbox_oldest_unpublished_age_seconds')).toBe(0);

    await writeOutbox(db.pool, bookingEvent(randomUUID(), 0));
    await writeOutbox(db.pool, bookingEvent(randomUUID(), 0));
    // Backdated, so the age read on scrape is the row's, not the scrape's moment.
    await db.pool.query(`UPDATE outbox SET created_at = now() - interval '1 minute'`);
    expect(await valueOf(registry, 'outbox_backlog_events')).toBe(2);
    expect(await valueOf(registry, 'outbox_oldest_unpublished_age_seconds')).toBeGreaterThanOrEqual(60);

    const topic = uniqueTopic();
    await bus.ensureTopics([topic]);
    expect(await createOutboxRelay({ pool: db.pool, bus, topicFor: () => topic, logger }).runOnce()).toBe(2);
    expect(await valueOf(registry, 'outbox_backlog_events')).toBe(0);
    expect(await valueOf(registry, 'outbox_oldest_unpublished_age_seconds')).toBe(0);
  });

  it('given the outbox cannot be read, a scrape still answers with the gauges\' last values, and reads again once it can', async () => {
    createMessagingMetrics({ registry, pool: db.pool, bus, logger, outboxRefreshMs: 0 });
    await writeOutbox(db.pool, bookingEvent(randomUUID(), 0));
    expect(await valueOf(registry, 'outbox_backlog_events')).toBe(1);

    // When the query fails (a renamed table stands in for a connection PostgreSQL just terminated)
    await db.pool.query('ALTER TABLE outbox RENAME TO outbox_away');
    // Then the whole scrape still answers, the backlog as last read
    const scrape = await registry.metrics();
    expect(scrape).toMatch(/^outbox_backlog_events 1$/m);
    expect(scrape).toMatch(/^outbox_oldest_unpublished_age_seconds \S+$/m);

    // And once the outbox is back, the next scrape reads it again
    await db.pool.query('ALTER TABLE outbox_away RENAME TO outbox');
    await writeOutbox(db.pool, bookingEvent(randomUUID(), 0));
    expect(await valueOf(registry, 'outbox_backlog_events')).toBe(2);
  });

  it('counts what a consumer group did with each message: handled, duplicate, dead-lettered; and its lag drops to 0', async () => {
    const metrics = createMessagingMetrics({ registry, bus, logger, lagRefreshMs: 0 });
    const topic = uniqueTopic();
    const groupId = `test-group-${randomUUID()}`;
    await bus.ensureTopics([topic], 3);
    const event = bookingEvent(randomUUID(), 0);
    const other = bookingEvent(randomUUID(), 0);
    const message = (value: string) => ({ key: 'booking-1', value, headers: { 'event-type': 'TestHappened' } });
    // Before the group runs: four messages wait, and nothing is committed yet.
    await bus.publish(topic, [message(JSON.stringify(event)), message(JSON.stringify(event)), message('not json'), message(JSON.stringify(other))]);
    metrics.watchLag(groupId, [topic]);
    expect(await valueOf(registry, 'kafka_consumer_group_lag_messages', { group: groupId, topic })).toBe(4);

    subscriptions.push(
      await runConsumer({
        bus,
        pool: db.pool,
        consumer: 'metrics-test',
        groupId,
        topics: [topic],
        handle: async () => undefined,
        logger,
        retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
        metrics: metrics.forGroup(groupId),
      }),
    );

    const labels = { group: groupId, topic };
    await eventually(async () => (await valueOf(registry, 'kafka_messages_consumed_total', labels)) === 4, 30_000, 'four messages consumed');
    await eventually(async () => (await valueOf(registry, 'kafka_consumer_group_lag_messages', labels)) === 0, 30_000, 'the lag to reach 0');
    expect(await valueOf(registry, 'kafka_messages_handled_total', { ...labels, outcome: 'handled' })).toBe(2);
    expect(await valueOf(registry, 'kafka_messages_handled_total', { ...labels, outcome: 'duplicate' })).toBe(1);
    expect(await valueOf(registry, 'kafka_messages_handled_total', { ...labels, outcome: 'dead_lettered' })).toBe(1);
    expect(await valueOf(registry, 'kafka_dead_letters_total', labels)).toBe(1);
    expect(await valueOf(registry, 'kafka_messages_failed_total', labels)).toBe(0);
  });
});
