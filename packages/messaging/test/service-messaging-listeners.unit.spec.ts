import type { Pool } from 'pg';
import { createLogger } from '@ticketing/platform';
import type { ConsumeOptions, IncomingMessage, MessageBus, Subscription } from '../src/kafka-bus';
import { createServiceMessaging, type ListenerSpec } from '../src/service-messaging';

const logger = createLogger('messaging-test', 'silent');

/** The consume options each group was started with; only what the service hands the bus is under test. */
async function startedListener(spec: ListenerSpec): Promise<ConsumeOptions> {
  const consumed = new Map<string, ConsumeOptions>();
  const bus = {
    async ensureTopics() {},
    async consume(options: ConsumeOptions): Promise<Subscription> {
      consumed.set(options.groupId, options);
      return { stop: async () => undefined, failure: () => undefined };
    },
    async close() {},
  } as unknown as MessageBus;
  const messaging = createServiceMessaging({ service: 'svc', brokers: [], topicPrefix: 't.', pool: {} as Pool, logger, bus, outbox: false });
  messaging.listen(spec);
  await messaging.start();
  await messaging.stop();
  return consumed.get(`t.svc.${spec.consumer}`)!;
}

const message = (offset: number): IncomingMessage => ({ topic: 't.booking.events', partition: 0, offset: String(offset), key: 'k', value: '{}', headers: {} });

describe('a listener', () => {
  it('given `together`, when a fetch brings five messages, then their handles start in order without waiting for each other, and the batch ends when all have', async () => {
    const started: string[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const options = await startedListener({
      consumer: 'realtime',
      from: ['booking'],
      together: true,
      handle: async (incoming) => {
        started.push(incoming.offset);
        if (started.length === 5) release();
        // Each waits for all five to have started: handles run one after another would never get there.
        await gate;
      },
    });

    await options.handleMany!([0, 1, 2, 3, 4].map(message));

    expect(started).toEqual(['0', '1', '2', '3', '4']);
  });

  it('given no `together`, then the bus hands it one message at a time', async () => {
    const options = await startedListener({ consumer: 'realtime', from: ['booking'], handle: async () => undefined });

    expect(options.handleMany).toBeUndefined();
  });
});
