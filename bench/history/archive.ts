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

/** Events the history process appended since it started (`history_archived_events_total`, every stream type). */
async function archivedSinceStart(url: string): Promise<number> {
  const text = await (await fetch(url)).text();
  let total = 0;
  for (const match of text.matchAll(/^history_archived_events_total(?:\{[^}]*\})? ([\d.e+-]+)$/gm)) total += Number(match[1]);
  return total;
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
    const historyMetrics = metricsUrl(history, system.env);
    // Inside the measured phase nothing scans `events` (a count or a sort is a whole-collection
    // scan on FerretDB, and was most of this phase's FerretDB CPU): the process's own count of what it
    // appended since it started says when all are stored; the clock's start is read afterwards.
    const drained = await measureCpu({
      self: 'bench (watching)',
      services: { history: historyMetrics },
      events: () => envelopes.length - storedBeforeReady,
      phase: () =>
        around(async () => {
          const deadline = Date.now() + TIMEOUT_MS;
          while ((await archivedSinceStart(historyMetrics)) < envelopes.length) {
            if (Date.now() > deadline) throw new Error(`the archiver stored ${(await events.countDocuments()) - before} of ${envelopes.length} events in ${TIMEOUT_MS / 1000} s`);
            await new Promise((resolve) => setTimeout(resolve, POLL_MS));
          }
          return { done: Date.now() };
        }),
    });
    const stored = await events.countDocuments();
    if (stored < target) throw new Error(`the history process counted every event appended, yet the store holds ${stored - before} of ${envelopes.length}`);
    const [first] = await events.find({ recordedAt: { $gte: restartedAt } }, { projection: { _id: 0, recordedAt: 1 } }).sort({ recordedAt: 1 }).limit(1).toArray();
    const seconds = (drained.result.done - (first!['recordedAt'] as Date).getTime()) / 1000;
    return {
      ...drained,
      result: { events: envelopes.length, storedBeforeReady, seconds: Math.round(seconds * 100) / 100, perSecond: Math.round(envelopes.length / seconds), publishPerSecond },
    };
  } finally {
    await Promise.all([client.close(), store.close()]);
  }
}

export interface LiveResult {
  events: number;
  /** Events published per second (the target rate, as achieved). */
  publishedPerSecond: number;
  seconds: number;
  /** From the last publish to every projection's checkpoint at the store's high-water mark. */
  settleSeconds: number;
}

/**
 * The on-sale's regime: the history process keeps running with its live projections while events
 * arrive at `rate` per second (as the relays publish them during an on-sale), on top of what the
 * store already holds, once the projections have caught up with it. CPU per event over the whole
 * phase, until every projection has caught up again.
 */
export async function archiveLive(options: {
  system: IsolatedSystem;
  envelopes: readonly EventEnvelope[];
  rate: number;
  log: (line: string) => void;
}): Promise<CpuSplit<LiveResult>> {
  const { system, envelopes, rate } = options;
  const config = loadHistoryConfig({ ...process.env, ...system.env });
  const client = new MongoClient(config.EVENT_STORE_URL, { appName: 'bench-live-watch' });
  const db = client.db();
  const store = createEventStore({ url: config.EVENT_STORE_URL });
  const bus = createKafkaBus({ brokers: config.KAFKA_BROKERS, clientId: `${config.KAFKA_TOPIC_PREFIX}bench-live`, logger: createLogger('bench-history', 'warn') });
  const tickMs = 100;
  const perTick = Math.max(1, Math.round((rate * tickMs) / 1000));
  const history = SERVICES.find((service) => service.name === 'history')!;
  /** Every position reserved so far applied by every projection (counter and checkpoints: single documents). */
  const settled = async (target: number) => {
    const hwm = await store.highWaterMark();
    const checkpoints = await db.collection<{ _id: string; position: number }>('checkpoints').find({}).toArray();
    return hwm >= target && checkpoints.length >= 2 && checkpoints.every((c) => c.position >= hwm);
  };
  try {
    // The projections first catch up with what is there (the backlog), outside the measurement:
    // the phase measures the steady trickle, not a catch-up.
    const caughtUpFrom = performance.now();
    while (!(await settled(0))) {
      if (performance.now() - caughtUpFrom > TIMEOUT_MS) throw new Error('the projections did not catch up before the live phase');
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    options.log(`  the projections caught up with the store in ${((performance.now() - caughtUpFrom) / 1000).toFixed(1)} s (not measured)`);
    const target = (await store.highWaterMark()) + envelopes.length;
    return await measureCpu({
      self: 'bench (publishing, watching)',
      services: { history: metricsUrl(history, system.env) },
      events: () => envelopes.length,
      phase: async () => {
        const started = performance.now();
        for (let from = 0, tick = 0; from < envelopes.length; from += perTick, tick++) {
          const byTopic = new Map<string, OutgoingMessage[]>();
          for (const envelope of envelopes.slice(from, from + perTick)) {
            const topic = topicFor(envelope.stream.type, config.KAFKA_TOPIC_PREFIX);
            byTopic.set(topic, [...(byTopic.get(topic) ?? []), { key: envelope.stream.id, value: JSON.stringify(envelope), headers: { 'event-type': envelope.type, 'correlation-id': envelope.correlationId } }]);
          }
          await bus.publishBatch([...byTopic].map(([topic, messages]) => ({ topic, messages })));
          const wait = started + (tick + 1) * tickMs - performance.now();
          if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        }
        const published = performance.now();
        const deadline = Date.now() + TIMEOUT_MS;
        // Settled: every position reserved, and every projection's checkpoint there (counter and checkpoints: single documents).
        for (;;) {
          if (await settled(target)) break;
          if (Date.now() > deadline) throw new Error('the live phase did not settle');
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
        const done = performance.now();
        options.log(`  live: published ${envelopes.length} at ${rate}/s, settled ${((done - published) / 1000).toFixed(2)} s after the last publish`);
        return {
          events: envelopes.length,
          publishedPerSecond: Math.round(envelopes.length / ((published - started) / 1000)),
          seconds: Math.round((done - started) / 10) / 100,
          settleSeconds: Math.round((done - published) / 10) / 100,
        };
      },
    });
  } finally {
    await Promise.all([client.close(), store.close(), bus.close()]);
  }
}
