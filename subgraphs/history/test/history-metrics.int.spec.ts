import { randomUUID } from 'node:crypto';
import { createEnvelope, topicFor, type EventEnvelope } from '@ticketing/contracts';
import { createEventStore, dropEventStoreDatabase, MongoClient, type EventStore } from '@ticketing/event-store';
import { createKafkaBus, type MessageBus } from '@ticketing/messaging';
import { createRedis, prometheus, type Metrics, type Redis } from '@ticketing/platform';
import { eventually, testSystem } from '@ticketing/test-support';
import { SERVICES, metricsUrl } from '../../../infra/services';
import { bookingTimelineProjection, BOOKING_TIMELINE } from '../src/application/booking-timeline.projection';
import { createProjectionRunner } from '../src/application/projection-runner';
import { SALES_DASHBOARD } from '../src/application/sales-dashboard.projection';
import { createEventArchiver } from '../src/adapters/messaging/event-archiver';
import { createHistoryMetrics } from '../src/adapters/metrics/history.metrics';
import { createMongoCheckpointStore } from '../src/adapters/mongo/mongo-checkpoint.store';
import { createMongoTimelineStore } from '../src/adapters/mongo/mongo-timeline.store';
import { createRedisLease } from '../src/adapters/redis/redis-lease';
import { paidBookingEvents, quietLogger, REDIS_URL, specStoreUrl } from './support';

/*
 * History's metrics against real Kafka, FerretDB and Redis, wired as main.ts wires them: the
 * archiver on topics of this file's own (so every count is this file's) appending to a store of
 * its own through the metrics, and the projection lag read from that store and its checkpoints.
 */

type Registry = Metrics['registry'];
const brokers = () => (testSystem().env['KAFKA_BROKERS'] ?? process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');
const TWO_HOURS_S = 2 * 60 * 60;

async function valueOf(registry: Registry, name: string, labels: Record<string, string> = {}, metricName = name): Promise<number> {
  const { values } = await registry.getSingleMetric(name)!.get();
  const found = values.find(
    (value) => ((value as { metricName?: string }).metricName ?? name) === metricName && Object.entries(labels).every(([key, wanted]) => value.labels[key] === wanted),
  );
  return found?.value ?? 0;
}

const probe = (streamId: string, streamVersion: number, occurredAt: Date): EventEnvelope =>
  createEnvelope({
    eventId: randomUUID(),
    type: 'ArchiveProbe',
    schemaVersion: 1,
    stream: { type: 'user', id: streamId },
    streamVersion,
    now: occurredAt,
    correlationId: 'history-metrics-spec',
    payload: { n: streamVersion },
  });

describe('archiving, counted from the store’s answer', () => {
  const url = specStoreUrl('metrics_archive');
  const topicPrefix = `spec-history-metrics-${randomUUID().slice(0, 8)}.`;
  const groupSuffix = 'metrics-spec';
  let store: EventStore;
  let mongo: MongoClient;
  let bus: MessageBus;
  let archiver: ReturnType<typeof createEventArchiver> | undefined;

  beforeAll(async () => {
    store = createEventStore({ url });
    await store.ensureIndexes();
    mongo = new MongoClient(url);
    bus = createKafkaBus({ brokers: brokers(), clientId: `history-metrics-spec-${randomUUID()}`, logger: quietLogger() });
  });
  afterAll(async () => {
    await archiver?.stop();
    await bus.close();
    await mongo.close();
    await store.close();
    await dropEventStoreDatabase(url);
  });

  it('given three events written two hours ago, one delivered twice and one unreadable message, then 3 are archived with two hours of lag each, 1 duplicate and 1 dead letter are counted, and the group’s lag drains to 0', async () => {
    const registry = new prometheus.Registry<Registry['contentType']>();
    const metrics = createHistoryMetrics({ registry }, { source: store, checkpoints: createMongoCheckpointStore(mongo.db()), projections: [], logger: quietLogger() });
    archiver = createEventArchiver({
      brokers: brokers(),
      topicPrefix,
      consumerGroup: groupSuffix,
      logger: quietLogger(),
      registry,
      store: {
        append: async (events) => {
          const result = await store.append(events);
          metrics.appended(events, result);
          return result;
        },
      },
    });
    await archiver.start();
    const topic = topicFor('user', topicPrefix);
    const group = archiver.groupId;
    const stream = randomUUID();
    const written = new Date(Date.now() - TWO_HOURS_S * 1000);
    const [first, second, third] = [probe(stream, 0, written), probe(stream, 1, written), probe(stream, 2, written)];
    const message = (envelope: EventEnvelope) => ({ key: stream, value: JSON.stringify(envelope) });

    // One key, one partition: in this order, through one consumer.
    await bus.publish(topic, [message(first), message(first), message(second), { key: stream, value: 'not an envelope' }, message(third)]);

    // Consumed is counted as a batch arrives, outcomes once it is archived (parking included): wait for the outcomes.
    const finished = async () =>
      (await Promise.all(['handled', 'duplicate', 'dead_lettered'].map((outcome) => valueOf(registry, 'kafka_messages_handled_total', { group, topic, outcome })))).reduce(
        (sum, n) => sum + n,
        0,
      );
    await eventually(async () => (await finished()) === 5 || undefined, 60_000, 'all 5 messages archived, counted or parked');
    expect(await valueOf(registry, 'kafka_messages_consumed_total', { group, topic })).toBe(5);
    expect(await valueOf(registry, 'history_archived_events_total', { stream_type: 'user' })).toBe(3);
    expect(await valueOf(registry, 'history_archive_lag_seconds', {}, 'history_archive_lag_seconds_count')).toBe(3);
    expect(await valueOf(registry, 'history_archive_lag_seconds', {}, 'history_archive_lag_seconds_sum')).toBeGreaterThanOrEqual(3 * TWO_HOURS_S);
    // Two hours is past the last finite bucket.
    expect(await valueOf(registry, 'history_archive_lag_seconds', { le: '3600' }, 'history_archive_lag_seconds_bucket')).toBe(0);
    expect(await valueOf(registry, 'kafka_messages_handled_total', { group, topic, outcome: 'handled' })).toBe(3);
    expect(await valueOf(registry, 'kafka_messages_handled_total', { group, topic, outcome: 'duplicate' })).toBe(1);
    expect(await valueOf(registry, 'kafka_messages_handled_total', { group, topic, outcome: 'dead_lettered' })).toBe(1);
    expect(await valueOf(registry, 'kafka_dead_letters_total', { group, topic })).toBe(1);
    expect(await mongo.db().collection('events').countDocuments({ 'stream.id': stream })).toBe(3);

    // Lag is read from Kafka at scrape time (at most every 5 s): once the batch is committed, 0 on the page.
    await eventually(async () => {
      const { values } = await registry.getSingleMetric('kafka_consumer_group_lag_messages')!.get();
      const lag = values.find((value) => value.labels['group'] === group && value.labels['topic'] === topic);
      return lag?.value === 0 || undefined;
    }, 30_000, 'the archiver group’s lag on user.events to read 0');
  });
});

describe('projection lag, read on scrape', () => {
  const url = specStoreUrl('metrics_projection');
  let store: EventStore;
  let mongo: MongoClient;
  let redis: Redis;

  beforeAll(async () => {
    store = createEventStore({ url });
    await store.ensureIndexes();
    mongo = new MongoClient(url);
    redis = createRedis(REDIS_URL, `history-metrics-spec:${randomUUID()}:`);
  });
  afterAll(async () => {
    await redis.quit();
    await mongo.close();
    await store.close();
    await dropEventStoreDatabase(url);
  });

  it('given 20 events in the store and no projection run yet, then both read models lag by the head; once the timeline projection caught up, it lags by 0 and the dashboard still by the head', async () => {
    const registry = new prometheus.Registry<Registry['contentType']>();
    const checkpoints = createMongoCheckpointStore(mongo.db());
    createHistoryMetrics({ registry }, { source: store, checkpoints, projections: [BOOKING_TIMELINE, SALES_DASHBOARD], logger: quietLogger(), refreshMs: 0 });
    const lag = (projection: string) => valueOf(registry, 'history_projection_lag_events', { projection });

    expect(await lag(BOOKING_TIMELINE)).toBe(0);
    await store.append(Array.from({ length: 5 }, () => paidBookingEvents()).flat());
    const head = await store.highWaterMark();
    expect(head).toBeGreaterThanOrEqual(20);
    expect([await lag(BOOKING_TIMELINE), await lag(SALES_DASHBOARD)]).toEqual([head, head]);

    const runner = createProjectionRunner({
      projection: bookingTimelineProjection(createMongoTimelineStore(mongo.db())),
      source: store,
      checkpoints,
      lease: createRedisLease(redis, `lease:${BOOKING_TIMELINE}`, 5_000),
      logger: quietLogger(),
      batchSize: 7,
      pollMs: 20,
      maxGapWaitMs: 200,
      renewEveryMs: 1_000,
    });
    const stop = new AbortController();
    const running = runner.run(stop.signal);
    try {
      await eventually(async () => (await checkpoints.load(BOOKING_TIMELINE)) === head || undefined, 30_000, 'the timeline projection to catch up');
    } finally {
      stop.abort();
      await running;
    }

    expect([await lag(BOOKING_TIMELINE), await lag(SALES_DASHBOARD)]).toEqual([0, head]);
  });
});

it('the history process exposes its archive, projection and pipeline metrics on /metrics', async () => {
  const history = SERVICES.find((service) => service.name === 'history')!;
  const text = await (await fetch(metricsUrl(history, testSystem().env))).text();
  for (const name of ['history_archived_events_total', 'history_archive_lag_seconds', 'history_projection_lag_events', 'kafka_messages_consumed_total', 'kafka_dead_letters_total', 'kafka_consumer_group_lag_messages']) {
    expect(text).toContain(`# TYPE ${name} `);
  }
  expect(text).toMatch(/^history_projection_lag_events\{[^}]*projection="booking-timeline"[^}]*\} \d+$/m);
});
