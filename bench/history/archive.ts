/**
 * Archive rate from a backlog: the history process is stopped, `envelopes` are published to
 * their topics as the outbox relays would (key = stream id, JSON value, the same headers), then it
 * starts again and its archiver drains the backlog through its own consumer group. The clock runs
 * from the first stored event's `recordedAt` (the store's stamp just before that batch's insert,
 * so process start-up and the group join stay out) to the moment the last one is seen stored.
 */
import { topicFor, type EventEnvelope } from '@ticketing/contracts';
import { createEventStore, EVENTS_COLLECTION, MongoClient } from '@ticketing/event-store';
import { createKafkaBus, type OutgoingMessage } from '@ticketing/messaging';
import { createLogger } from '@ticketing/platform';
import { restartService, type IsolatedSystem } from '@ticketing/test-support';
import { metricsUrl, SERVICES } from '../../infra/services';
import { loadHistoryConfig } from '../../subgraphs/history/src/config';
import { measureCpu, type CpuSplit } from './cpu-split';

const PUBLISH_CHUNK = 1_000;
const POLL_MS = 100;
const TIMEOUT_MS = 10 * 60_000;

export interface ArchiveResult {
  events: number;
  /** Stored before the restarted process answered ready (the clock includes them; the CPU split does not). */
  storedBeforeReady: number;
  seconds: number;
  perSecond: number;
  /** Publishing the backlog to Kafka (acks=all, idempotent producer), for scale. */
  publishPerSecond: number;
}

/** Sends the backlog as the relays do: batches per topic, one request at a time. */
async function publishBacklog(brokers: readonly string[], prefix: string, envelopes: readonly EventEnvelope[]): Promise<number> {
  const bus = createKafkaBus({ brokers, clientId: `${prefix}bench-producer`, logger: createLogger('bench-history', 'warn') });
  const started = performance.now();
  try {
    for (let from = 0; from < envelopes.length; from += PUBLISH_CHUNK) {
      const byTopic = new Map<string, OutgoingMessage[]>();
      for (const envelope of envelopes.slice(from, from + PUBLISH_CHUNK)) {
        const topic = topicFor(envelope.stream.type, prefix);
        const headers = { 'event-type': envelope.type, 'correlation-id': envelope.correlationId, ...(envelope.causationId && { 'causation-id': envelope.causationId }) };
        byTopic.set(topic, [...(byTopic.get(topic) ?? []), { key: envelope.stream.id, value: JSON.stringify(envelope), headers }]);
      }
      await bus.publishBatch([...byTopic].map(([topic, messages]) => ({ topic, messages })));
    }
    return Math.round(envelopes.length / ((performance.now() - started) / 1000));
  } finally {
    await bus.close();
  }
}

export async function archiveBacklog(options: {
  system: IsolatedSystem;
  envelopes: readonly EventEnvelope[];
  log: (line: string) => void;
  /** Wraps the drain (after the process answers ready), e.g. in a profiler. */
  around?: <T>(work: () => Promise<T>) => Promise<T>;
}): Promise<CpuSplit<ArchiveResult>> {
  const { system, envelopes } = options;
  const config = loadHistoryConfig({ ...process.env, ...system.env });
  const client = new MongoClient(config.EVENT_STORE_URL, { appName: 'bench-archive-watch' });
  const events = client.db().collection(EVENTS_COLLECTION);
  const store = createEventStore({ url: config.EVENT_STORE_URL });
  const around = options.around ?? (<T>(work: () => Promise<T>) => work());
  try {
    const before = await events.countDocuments();
    const target = before + envelopes.length;
    let publishPerSecond = 0;
    let restartedAt = new Date();
    await restartService(system, 'history', async () => {
      options.log(`  history stopped; publishing ${envelopes.length} events to ${config.KAFKA_TOPIC_PREFIX}*.events`);
      publishPerSecond = await publishBacklog(config.KAFKA_BROKERS, config.KAFKA_TOPIC_PREFIX, envelopes);
      options.log(`  published at ${publishPerSecond}/s; starting history again`);
      restartedAt = new Date();
    });
    const storedBeforeReady = (await events.countDocuments()) - before;
    const history = SERVICES.find((service) => service.name === 'history')!;
    return await measureCpu({
      self: 'bench (watching)',
      services: { history: metricsUrl(history, system.env) },
      events: () => envelopes.length - storedBeforeReady,
      phase: () =>
        around(async () => {
          const deadline = Date.now() + TIMEOUT_MS;
          // The counter first (one document); the count (a scan on FerretDB) only once it says all are reserved.
          while ((await store.highWaterMark()) < target || (await events.countDocuments()) < target) {
            if (Date.now() > deadline) throw new Error(`the archiver stored ${(await events.countDocuments()) - before} of ${envelopes.length} events in ${TIMEOUT_MS / 1000} s`);
            await new Promise((resolve) => setTimeout(resolve, POLL_MS));
          }
          const done = Date.now();
          const [first] = await events.find({ recordedAt: { $gte: restartedAt } }, { projection: { _id: 0, recordedAt: 1 } }).sort({ recordedAt: 1 }).limit(1).toArray();
          const seconds = (done - (first!['recordedAt'] as Date).getTime()) / 1000;
          return { events: envelopes.length, storedBeforeReady, seconds: Math.round(seconds * 100) / 100, perSecond: Math.round(envelopes.length / seconds), publishPerSecond };
        }),
    });
  } finally {
    await Promise.all([client.close(), store.close()]);
  }
}
