import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { createEnvelope, deadLetterTopicFor, serviceNamed, topicFor, type EventEnvelope } from '@ticketing/contracts';
import { createEventStore, MongoClient } from '@ticketing/event-store';
import { createDeadLetters, createKafkaBus, DLQ_HEADERS, type MessageBus } from '@ticketing/messaging';
import { eventually, freePort, mapLimit, testSystem } from '@ticketing/test-support';
import { ROOT, spawnService, stopProcess, waitUntilReady } from '../../../infra/services';
import { createEventArchiver } from '../src/adapters/messaging/event-archiver';
import { quietLogger } from './support';

/*
 * The archiver of the running system (its history process), fed by hand on the run's topics:
 * redeliveries, a second archiver, poison messages. Probe events travel on `user.events`, a
 * topic no saga consumer reacts to, so nothing but the archive sees them.
 */
let bus: MessageBus;
let mongo: MongoClient;
const system = () => testSystem();
const prefix = () => system().env['KAFKA_TOPIC_PREFIX'] ?? '';
const brokers = () => (system().env['KAFKA_BROKERS'] ?? process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');
const USER_TOPIC = () => topicFor('user', prefix());
const events = () => mongo.db().collection<EventEnvelope & { globalPosition: number }>('events');

const probe = (streamId: string, streamVersion: number): EventEnvelope =>
  createEnvelope({
    eventId: randomUUID(),
    type: 'ArchiveProbe',
    schemaVersion: 1,
    stream: { type: 'user', id: streamId },
    streamVersion,
    now: new Date(),
    correlationId: 'archiver-spec',
    payload: { n: streamVersion },
  });
const publish = (envelopes: readonly EventEnvelope[]) =>
  bus.publish(USER_TOPIC(), envelopes.map((envelope) => ({ key: envelope.stream.id, value: JSON.stringify(envelope) })));
const archived = (eventId: string) => events().countDocuments({ eventId });

beforeAll(async () => {
  bus = createKafkaBus({ brokers: brokers(), clientId: `archiver-spec-${randomUUID()}`, logger: quietLogger() });
  mongo = new MongoClient(system().env['EVENT_STORE_URL']!);
});

afterAll(async () => {
  await bus.close();
  await mongo.close();
});

describe('archiving every event once', () => {
  it('given one envelope delivered twice, then the store holds one document for it', async () => {
    const stream = randomUUID();
    const twice = probe(stream, 0);
    const after = probe(stream, 1);

    // Same key, same partition: once `after` is archived, both copies before it were handled.
    await publish([twice, twice, after]);

    await eventually(async () => (await archived(after.eventId)) === 1, 30_000, 'the event after the duplicate archived');
    expect(await archived(twice.eventId)).toBe(1);
    expect(await events().find({ 'stream.id': stream }).sort({ streamVersion: 1 }).map((doc) => doc.streamVersion).toArray()).toEqual([0, 1]);
  });

  it('given a second history process and a second archiver group archiving the same topics, then no event is stored twice and every stream has versions 0..n without a gap', async () => {
    const history = serviceNamed('history');
    const port = await freePort();
    const env = { ...process.env, ...system().env, [history.portVar]: String(port), [history.metricsPortVar]: '0', [history.urlVar]: `http://127.0.0.1:${port}/graphql` };
    const second: ChildProcess = spawnService(history, env, path.join(ROOT, '.run', `history-second-${system().runId}.log`));
    // And a whole second group in-process: every event is then archived by two archivers at once.
    const store = createEventStore({ url: system().env['EVENT_STORE_URL']! });
    const extra = createEventArchiver({ brokers: brokers(), topicPrefix: prefix(), store, logger: quietLogger(), consumerGroup: `archiver-spec-${randomUUID().slice(0, 8)}` });
    try {
      await waitUntilReady(`http://127.0.0.1:${port}`, 90_000, second);
      await extra.start();
      const streams = Array.from({ length: 20 }, () => randomUUID());
      const VERSIONS = 10;
      const envelopes = streams.flatMap((stream) => Array.from({ length: VERSIONS }, (_, version) => probe(stream, version)));
      // Published in bursts of one version across all streams, four at a time, so batches interleave across archivers.
      await mapLimit(
        Array.from({ length: VERSIONS }, (_, version) => envelopes.filter((envelope) => envelope.streamVersion === version)),
        4,
        async (slice) => publish(slice),
      );

      await eventually(async () => (await events().countDocuments({ 'stream.id': { $in: streams } })) >= envelopes.length, 60_000, 'every probe archived');
      const stored = await events().find({ 'stream.id': { $in: streams } }).toArray();
      expect(stored).toHaveLength(envelopes.length);
      expect(new Set(stored.map((doc) => doc.eventId)).size).toBe(envelopes.length);
      for (const stream of streams) {
        const versions = stored.filter((doc) => doc.stream.id === stream).map((doc) => doc.streamVersion).sort((a, b) => a - b);
        expect(versions).toEqual(Array.from({ length: VERSIONS }, (_, i) => i));
      }
      expect(new Set(stored.map((doc) => doc.globalPosition)).size).toBe(envelopes.length);
    } finally {
      await extra.stop();
      await store.close();
      await stopProcess(second);
    }
  });
});

describe('poison messages', () => {
  it('given a message that is not an envelope, then it is parked on <topic>.dlq with the reason and the next valid event is still archived', async () => {
    const stream = randomUUID();
    const next = probe(stream, 0);
    const poison = `{"eventId":"not-a-uuid","marker":"${randomUUID()}"}`;

    await bus.publish(USER_TOPIC(), [
      { key: stream, value: poison },
      { key: stream, value: JSON.stringify(next) },
    ]);

    await eventually(async () => (await archived(next.eventId)) === 1, 30_000, 'the valid event after the poison archived');
    const parked = await eventually(
      async () => (await createDeadLetters({ bus, logger: quietLogger() }).list(deadLetterTopicFor(USER_TOPIC()), 500)).find((message) => message.value === poison),
      30_000,
      'the poison message parked',
    );
    expect(parked.reason).toMatch(/^malformed: eventId: /);
    expect(parked.sourceTopic).toBe(USER_TOPIC());
    expect(parked.headers[DLQ_HEADERS.consumer]).toBe('history.archiver');
    expect(await events().countDocuments({ marker: { $exists: true } })).toBe(0);
  });
});

describe('a trickle of events', () => {
  it('given events published one at a time while the archiver gathers between fetches, then they reach the store in fewer appends than events', async () => {
    const store = createEventStore({ url: system().env['EVENT_STORE_URL']! });
    // What this group hands the store (the running system's own archiver stores the same events too).
    const appends: string[][] = [];
    const counting = {
      append: async (envelopes: readonly EventEnvelope[]) => {
        appends.push(envelopes.map((envelope) => envelope.eventId));
        return store.append(envelopes);
      },
    };
    const handed = (eventId: string) => appends.some((ids) => ids.includes(eventId));
    const archiver = createEventArchiver({
      brokers: brokers(),
      topicPrefix: prefix(),
      store: counting,
      logger: quietLogger(),
      consumerGroup: `archiver-spec-${randomUUID().slice(0, 8)}`,
      gatherMs: 1_000,
    });
    try {
      await archiver.start();
      // A new group starts at the topics' beginning: let it catch up with earlier specs' events first.
      const stream = randomUUID();
      const caughtUp = probe(stream, 0);
      await publish([caughtUp]);
      await eventually(async () => handed(caughtUp.eventId), 30_000, 'the new group caught up');

      const trickle = Array.from({ length: 10 }, (_, i) => probe(stream, i + 1));
      for (const envelope of trickle) {
        await publish([envelope]);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }

      await eventually(async () => trickle.every((envelope) => handed(envelope.eventId)), 30_000, 'the trickle handed to the store');
      // Fetching again at once, each fetch would bring one event: ten appends. Paused, they gather. Other
      // specs publish on the same topics meanwhile, so only the appends carrying the trickle count.
      const ours = new Set(trickle.map((envelope) => envelope.eventId));
      expect(appends.filter((ids) => ids.some((id) => ours.has(id))).length).toBeLessThanOrEqual(5);
    } finally {
      await archiver.stop();
      await store.close();
    }
  });
});
