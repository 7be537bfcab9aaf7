import type { Pool } from 'pg';
import { parseEvent } from '@ticketing/contracts';
import { createLogger } from '@ticketing/platform';
import type { ConsumeOptions, MessageBus, Subscription } from '../src/kafka-bus';
import { createServiceMessaging } from '../src/service-messaging';

const logger = createLogger('messaging-test', 'silent');

/**
 * A stand-in for Kafka that refuses the first `refusals` calls of each kind named, and records
 * which consumer groups joined and left. Only the start-up logic is under test here; the real
 * bus is exercised by the integration specs.
 */
function flakyBus(refusals: { ensureTopics?: number; consume?: Record<string, number> }) {
  const joined: string[] = [];
  const left: string[] = [];
  const failures = new Map<string, Error>();
  let ensureCalls = 0;
  const consumeCalls = new Map<string, number>();
  const bus = {
    async ensureTopics() {
      if (++ensureCalls <= (refusals.ensureTopics ?? 0)) throw new Error('connect ECONNREFUSED 127.0.0.1:9092');
    },
    async consume({ groupId }: ConsumeOptions): Promise<Subscription> {
      const calls = (consumeCalls.get(groupId) ?? 0) + 1;
      consumeCalls.set(groupId, calls);
      if (calls <= (refusals.consume?.[groupId] ?? 0)) throw new Error(`group ${groupId} did not join`);
      joined.push(groupId);
      return { stop: async () => void left.push(groupId), failure: () => failures.get(groupId) };
    },
    async close() {},
  } as unknown as MessageBus;
  return { bus, joined, left, failures };
}

function messagingOn(bus: MessageBus, firstDelayMs = 1) {
  const messaging = createServiceMessaging({
    service: 'svc',
    brokers: [],
    topicPrefix: 't.',
    pool: {} as Pool,
    logger,
    bus,
    outbox: false,
    startRetry: { firstDelayMs, maxDelayMs: firstDelayMs * 4 },
  });
  messaging.consume({ consumer: 'outcomes', from: ['payment'], parse: parseEvent, handle: async () => undefined });
  messaging.listen({ consumer: 'realtime', from: ['booking'], handle: async () => undefined });
  return messaging;
}

describe('starting a service messaging while Kafka is not there yet', () => {
  it('given Kafka refuses twice, then readiness fails until the third attempt starts every consumer once', async () => {
    const { bus, joined } = flakyBus({ ensureTopics: 2 });
    const messaging = messagingOn(bus);

    await expect(messaging.check()).rejects.toThrow(/not running/);
    await messaging.start();

    await expect(messaging.check()).resolves.toBeUndefined();
    expect(joined).toEqual(['t.svc.outcomes', 't.svc.realtime']);
    await messaging.stop();
  });

  it('given one group fails to join, then the retry starts only that one: the consumer that joined keeps running', async () => {
    const { bus, joined, left } = flakyBus({ consume: { 't.svc.realtime': 2 } });
    const messaging = messagingOn(bus);

    await messaging.start();

    expect(joined).toEqual(['t.svc.outcomes', 't.svc.realtime']);
    expect(left).toEqual([]);
    await messaging.stop();
    expect(left.sort()).toEqual(['t.svc.outcomes', 't.svc.realtime']);
  });

  it('given a consumer the client gave up on, then readiness names it', async () => {
    const { bus, failures } = flakyBus({});
    const messaging = messagingOn(bus);
    await messaging.start();

    failures.set('t.svc.outcomes', new Error('The group is rebalancing'));

    await expect(messaging.check()).rejects.toThrow('consumer outcomes stopped: The group is rebalancing');
    await messaging.stop();
  });

  it('given Kafka never answers, when the service stops, then the retries end without waiting out a ten-minute backoff', async () => {
    const { bus, joined } = flakyBus({ ensureTopics: Infinity });
    const messaging = messagingOn(bus, 600_000);
    const starting = messaging.start();
    await new Promise((resolve) => setImmediate(resolve));

    // Were the backoff waited out, this would outlast the test timeout and fail.
    await messaging.stop();
    await starting;

    expect(joined).toEqual([]);
    await expect(messaging.check()).rejects.toThrow(/not running/);
  });
});
