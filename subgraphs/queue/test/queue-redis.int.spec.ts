import { randomUUID } from 'node:crypto';
import { createRedis, type Redis } from '@ticketing/platform';
import { createQueueRedis, QUEUE_REDIS_COMMAND_TIMEOUT_MS } from '../src/adapters/redis/queue-redis';

/*
 * The queue's Redis client against a real Redis: a command in flight when its connection drops is
 * not sent again (redis-restart.watch.ts), and it must still settle. ioredis 5 dropped it without
 * settling its promise (redis/ioredis#2193), which once left the restart check, and with it every
 * waiting room, "being restored" for good after Redis restarted empty (test/e2e/redis-crash).
 */
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const prefix = `queue-redis-spec:${randomUUID()}:`;

let queueRedis: Redis;
let admin: Redis;

beforeAll(() => {
  queueRedis = createQueueRedis(REDIS_URL, prefix);
  admin = createRedis(REDIS_URL);
});

afterAll(async () => {
  queueRedis.disconnect();
  await admin.quit();
});

it('given a command in flight, when its connection is killed, then the command is rejected (not resent, never left pending) and the client works again', async () => {
  await queueRedis.ping();
  const id = await queueRedis.client('ID');
  const started = Date.now();
  // Blocks on the server for longer than the command timeout: in flight when the connection dies.
  const inFlight = queueRedis.blpop('never-pushed', 60).then(
    () => 'answered',
    (error: Error) => `rejected: ${error.message}`,
  );
  await new Promise((resolve) => setTimeout(resolve, 200));
  await admin.client('KILL', 'ID', String(id));

  const outcome = await Promise.race([inFlight, new Promise((resolve) => setTimeout(() => resolve('still pending'), QUEUE_REDIS_COMMAND_TIMEOUT_MS + 3_000))]);
  expect(outcome).toMatch(/^rejected: /);
  expect(Date.now() - started).toBeLessThan(QUEUE_REDIS_COMMAND_TIMEOUT_MS + 3_000);
  expect(await queueRedis.ping()).toBe('PONG');
  expect(await queueRedis.client('ID')).not.toBe(id);
}, 20_000);
