import { EventEmitter } from 'node:events';
import type { Redis } from '@ticketing/platform';
import { RESTORED_RUN_KEY, watchRedisRestarts } from '../src/adapters/redis/redis-restart.watch';

/**
 * When the waiting rooms are restored, and when fans may be answered again: driven by a scripted
 * stand-in for the Redis client (its connection events, INFO's run_id, the restore marker).
 */

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
const flush = () => new Promise((resolve) => setImmediate(resolve));

function scriptedRedis(runId: string) {
  const client = Object.assign(new EventEmitter(), {
    status: 'connecting',
    runId,
    keys: new Map<string, string>(),
    /** Resolves INFO when the test says so: a check in flight. */
    holdInfo: undefined as undefined | Promise<void>,
    async info() {
      // The answer of the Redis asked, however long it takes to arrive.
      const runIdAsked = client.runId;
      await client.holdInfo;
      return `# Server\r\nredis_version:7.0.15\r\nrun_id:${runIdAsked}\r\n`;
    },
    async get(key: string) {
      return client.keys.get(key) ?? null;
    },
    async set(key: string, value: string) {
      client.keys.set(key, value);
      return 'OK';
    },
  });
  return client;
}

it('given a new Redis, when it connects, then the rooms are restored once and fans are answered only afterwards', async () => {
  const redis = scriptedRedis('a1a1a1');
  let restores = 0;
  const watch = watchRedisRestarts(redis as unknown as Redis, { restore: async () => void (restores += 1), logger: silent });
  expect(watch.restoring()).toBe(true);
  redis.emit('ready');
  await flush();
  expect(restores).toBe(1);
  expect(redis.keys.get(RESTORED_RUN_KEY)).toBe('a1a1a1');
  expect(watch.restoring()).toBe(false);

  // A reconnect to the same Redis (a network blip) restores nothing.
  redis.emit('close');
  expect(watch.restoring()).toBe(true);
  redis.emit('ready');
  await flush();
  expect(restores).toBe(1);
  expect(watch.restoring()).toBe(false);
  watch.stop();
});

it('given a Redis that restarted (a new run id), when the client reconnects, then the rooms are restored again', async () => {
  const redis = scriptedRedis('a1a1a1');
  let restores = 0;
  const watch = watchRedisRestarts(redis as unknown as Redis, { restore: async () => void (restores += 1), logger: silent });
  redis.emit('ready');
  await flush();
  redis.emit('close');
  redis.runId = 'b2b2b2';
  redis.emit('ready');
  await flush();
  expect(restores).toBe(2);
  expect(redis.keys.get(RESTORED_RUN_KEY)).toBe('b2b2b2');
  expect(watch.restoring()).toBe(false);
  watch.stop();
});

it('given a check in flight, when the connection drops and comes back meanwhile, then it checks again and only then answers fans', async () => {
  const redis = scriptedRedis('a1a1a1');
  let release!: () => void;
  redis.holdInfo = new Promise((resolve) => (release = resolve));
  let restores = 0;
  const watch = watchRedisRestarts(redis as unknown as Redis, { restore: async () => void (restores += 1), logger: silent });
  redis.emit('ready');
  await flush();
  // Redis restarts while the first check waits for the old Redis's INFO.
  redis.runId = 'b2b2b2';
  redis.emit('close');
  redis.emit('ready');
  release();
  await flush();
  await flush();
  expect(redis.keys.get(RESTORED_RUN_KEY)).toBe('b2b2b2');
  expect(restores).toBe(2);
  expect(watch.restoring()).toBe(false);
  watch.stop();
});

it('given a restore that fails, then fans stay refused and it is tried again', async () => {
  const redis = scriptedRedis('a1a1a1');
  let attempts = 0;
  const watch = watchRedisRestarts(redis as unknown as Redis, {
    restore: async () => {
      attempts += 1;
      if (attempts === 1) throw new Error('PostgreSQL is down');
    },
    logger: silent,
    retryMs: 5,
  });
  redis.emit('ready');
  await flush();
  expect(watch.restoring()).toBe(true);
  await new Promise((resolve) => setTimeout(resolve, 30));
  expect(attempts).toBe(2);
  expect(watch.restoring()).toBe(false);
  watch.stop();
});
