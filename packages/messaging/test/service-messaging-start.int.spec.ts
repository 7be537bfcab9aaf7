import { randomUUID } from 'node:crypto';
import net from 'node:net';
import type { Pool } from 'pg';
import { topicFor } from '@ticketing/contracts';
import { createServiceMessaging, type ServiceMessaging } from '../src/service-messaging';
import { freePort } from '@ticketing/test-support';
import { createBus, eventually, logger } from './support';

const kafka = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',')[0]!;
const [kafkaHost, kafkaPort] = [kafka.split(':')[0]!, Number(kafka.split(':')[1])];

/**
 * A bootstrap address that refuses connections until `open()`, then forwards to the real broker.
 * Kafka then hands the client the broker's own address, so only the first contact goes through it:
 * the way a service sees a Kafka that is still starting.
 */
async function lateKafka() {
  const port = await freePort();
  const sockets = new Set<net.Socket>();
  const proxy = net.createServer((client) => {
    const upstream = net.connect(kafkaPort, kafkaHost);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => socket.destroy());
      socket.on('close', () => sockets.delete(socket));
    }
    client.pipe(upstream).pipe(client);
  });
  return {
    address: `127.0.0.1:${port}`,
    open: () => new Promise<void>((resolve) => proxy.listen(port, '127.0.0.1', resolve)),
    close: () => {
      sockets.forEach((socket) => socket.destroy());
      return new Promise<void>((resolve) => proxy.close(() => resolve()));
    },
  };
}

describe('a service whose Kafka is not up yet', () => {
  const prefix = `test.${randomUUID()}.`;
  let messaging: ServiceMessaging;
  let broker: Awaited<ReturnType<typeof lateKafka>>;

  beforeAll(async () => {
    broker = await lateKafka();
  });

  afterAll(async () => {
    await messaging.stop();
    await broker.close();
  });

  it('stays unready while Kafka refuses, then starts its consumers on a later attempt once Kafka answers, and consumes', async () => {
    const received: string[] = [];
    const failedAttempts: unknown[] = [];
    messaging = createServiceMessaging({
      service: 'late',
      brokers: [broker.address],
      topicPrefix: prefix,
      pool: {} as Pool,
      logger: Object.assign(Object.create(logger) as typeof logger, {
        // kafkajs' own error lines come through here too; count only the service's start attempts.
        error: (fields: unknown, message?: string) => void (message?.startsWith('messaging could not start') && failedAttempts.push(fields)),
      }),
      outbox: false,
      startRetry: { firstDelayMs: 200, maxDelayMs: 1_000 },
    });
    messaging.listen({
      consumer: 'reader',
      from: ['booking'],
      fromBeginning: true,
      handle: async (message) => void received.push(message.value ?? ''),
    });

    const started = messaging.start();
    await eventually(async () => failedAttempts.length >= 2, 30_000, 'two refused start attempts');
    await expect(messaging.check()).rejects.toThrow(/not running/);

    await broker.open();
    await started;
    await expect(messaging.check()).resolves.toBeUndefined();

    const producer = createBus('late-producer');
    try {
      await producer.publish(topicFor('booking', prefix), [{ key: 'k', value: 'hello' }]);
    } finally {
      await producer.close();
    }
    await eventually(async () => received.includes('hello'), 30_000, 'the message to be consumed');
  });
});
