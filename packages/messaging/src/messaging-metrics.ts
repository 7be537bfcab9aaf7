import type { Pool } from 'pg';
import { prometheus, type Logger } from '@ticketing/platform';
import type { GroupLag, MessageBus } from './kafka-bus';

type Registry = InstanceType<typeof prometheus.Registry>;

/** Counts of one consumer group's messages; `topic` is the topic a message came from. */
export interface ConsumerMetrics {
  consumed: (topic: string) => void;
  /** `duplicate` was already in the inbox; `dead-lettered` was parked (also counted in kafka_dead_letters_total). */
  finished: (topic: string, outcome: 'handled' | 'duplicate' | 'ignored' | 'dead-lettered' | 'listened') => void;
  /** The message is redelivered later (infrastructure failure: database, Kafka): nothing was parked. */
  failed: (topic: string) => void;
}

export interface MessagingMetrics {
  forGroup: (groupId: string) => ConsumerMetrics;
  /** The groups whose lag is read on scrape, with their topics. */
  watchLag: (groupId: string, topics: readonly string[]) => void;
}

export interface MessagingMetricsOptions {
  registry: Registry;
  /** The service's own database: the outbox is read on scrape. Absent for a service without one. */
  pool?: Pool;
  bus: MessageBus;
  logger: Logger;
  /** Lag is read from Kafka at most this often, whatever the scrape interval. Default 5 s. */
  lagRefreshMs?: number;
  /** How long one outbox reading serves both outbox gauges (one query per scrape). Default 500 ms. */
  outboxRefreshMs?: number;
}

/** Answers the last reading younger than `maxAgeMs`, or one new reading shared by every caller meanwhile. */
function cached<T>(read: () => Promise<T>, maxAgeMs: number): () => Promise<T> {
  let last: { at: number; value: Promise<T> } | undefined;
  return () => {
    const now = Date.now();
    if (!last || now - last.at >= maxAgeMs) {
      const value = read();
      last = { at: now, value };
      // A failed reading is not kept: the next scrape tries again.
      value.catch(() => (last = undefined));
    }
    return last.value;
  };
}

/**
 * The pipeline's health in Prometheus terms, on the service's own registry: the outbox backlog
 * (rows not yet on Kafka and the age of the oldest, read with one indexed query per scrape:
 * the unpublished rows are exactly the relay's partial index), what each consumer group did with
 * its messages, the dead letters it parked, and each group's lag behind the high watermarks.
 * Gauges are read at scrape time rather than pushed, so they are right even when nothing moves.
 */
export function createMessagingMetrics({ registry, pool, bus, logger, lagRefreshMs = 5_000, outboxRefreshMs = 500 }: MessagingMetricsOptions): MessagingMetrics {
  const registers = [registry];

  if (pool) {
    const readOutbox = cached(async () => {
      const { rows } = await pool.query<{ backlog: number; age: number }>(
        `SELECT count(*)::int AS backlog, COALESCE(EXTRACT(EPOCH FROM clock_timestamp() - min(created_at)), 0)::float8 AS age
           FROM outbox WHERE published_at IS NULL`,
      );
      return rows[0] ?? { backlog: 0, age: 0 };
    }, outboxRefreshMs);
    // A scrape must not fail because the database blipped: a pooled connection PostgreSQL just
    // terminated can be handed out before its error event discards it, and a collect() that throws
    // fails the whole /metrics answer (CI saw it). The gauges keep their last values; the next scrape reads again.
    const collectOutbox = (pick: (reading: { backlog: number; age: number }) => number) =>
      async function collect(this: InstanceType<typeof prometheus.Gauge>) {
        try {
          this.set(pick(await readOutbox()));
        } catch (error) {
          logger.warn({ err: error }, 'outbox backlog could not be read');
        }
      };
    new prometheus.Gauge({
      name: 'outbox_backlog_events',
      help: 'Outbox rows written but not yet published to Kafka',
      registers,
      collect: collectOutbox((reading) => reading.backlog),
    });
    new prometheus.Gauge({
      name: 'outbox_oldest_unpublished_age_seconds',
      help: 'Age of the oldest outbox row not yet published (0 when the outbox is drained)',
      registers,
      collect: collectOutbox((reading) => reading.age),
    });
  }

  const labelNames = ['group', 'topic'] as const;
  const consumed = new prometheus.Counter({ name: 'kafka_messages_consumed_total', help: 'Messages a consumer group received', labelNames, registers });
  const finished = new prometheus.Counter({
    name: 'kafka_messages_handled_total',
    help: 'Messages a consumer group finished, by outcome (handled, duplicate, ignored, dead_lettered, listened)',
    labelNames: [...labelNames, 'outcome'] as const,
    registers,
  });
  const failed = new prometheus.Counter({
    name: 'kafka_messages_failed_total',
    help: 'Messages whose processing failed for want of the database or Kafka; they are redelivered, not parked',
    labelNames,
    registers,
  });
  const deadLetters = new prometheus.Counter({ name: 'kafka_dead_letters_total', help: 'Messages parked on a dead-letter topic', labelNames, registers });

  const watched = new Map<string, readonly string[]>();
  const readLag = cached(async (): Promise<GroupLag[]> => {
    if (!bus.groupLag) return [];
    const readings = await Promise.all([...watched].map(([groupId, topics]) => bus.groupLag!(groupId, topics)));
    return readings.flat();
  }, lagRefreshMs);
  new prometheus.Gauge({
    name: 'kafka_consumer_group_lag_messages',
    help: 'Messages on a topic not yet committed by a consumer group (high watermark minus committed offset, summed over partitions)',
    labelNames,
    registers,
    async collect() {
      try {
        const lags = await readLag();
        this.reset();
        for (const { groupId, topic, lag } of lags) this.set({ group: groupId, topic }, lag);
      } catch (error) {
        // A scrape must not fail because Kafka is down; the gauge simply keeps its last values.
        logger.warn({ err: error }, 'consumer lag could not be read');
      }
    },
  });

  return {
    forGroup(groupId) {
      return {
        consumed: (topic) => consumed.inc({ group: groupId, topic }),
        finished(topic, outcome) {
          finished.inc({ group: groupId, topic, outcome: outcome.replace('-', '_') });
          if (outcome === 'dead-lettered') deadLetters.inc({ group: groupId, topic });
        },
        failed: (topic) => failed.inc({ group: groupId, topic }),
      };
    },
    watchLag(groupId, topics) {
      watched.set(groupId, topics);
    },
  };
}
