import { randomUUID } from 'node:crypto';
import { accountStanding } from '@ticketing/contracts';
import { createAccountLocks, createLogger, createRedis, type AccountLocks, type Redis } from '../src';

/*
 * The in-memory lock set every process keeps, against a real Redis, on a key prefix of its own:
 * what was announced before it started, what is announced after, and what must not break it.
 */
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const prefix = `locks-spec:${randomUUID()}:`;
const standing = (userId: string, version: number, locked: boolean) => JSON.stringify({ userId, version, role: 'USER', locked });

let redis: Redis;
let locks: AccountLocks | undefined;

beforeAll(() => {
  redis = createRedis(REDIS_URL, prefix);
});

afterAll(async () => {
  await locks?.close();
  await redis.del(accountStanding.key);
  await redis.quit();
});

const eventually = async (probe: () => boolean) => {
  for (let i = 0; i < 200 && !probe(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  return probe();
};

describe('account locks known to every process', () => {
  it('given a lock in the hash before start, a malformed publish and then newer and older standings, then it knows the newest and survives the garbage', async () => {
    const early = randomUUID();
    const later = randomUUID();
    await redis.hset(accountStanding.key, early, standing(early, 3, true));
    locks = createAccountLocks({ redisUrl: REDIS_URL, keyPrefix: prefix, logger: createLogger('locks-spec', 'silent') });
    await locks.ready;
    expect(locks.isLocked(early)).toBe(true);

    // Not JSON, then JSON of the wrong shape: neither may throw inside the subscriber.
    await redis.publish(accountStanding.channel(prefix), '{not json');
    await redis.publish(accountStanding.channel(prefix), JSON.stringify({ userId: 'x' }));
    await redis.publish(accountStanding.channel(prefix), standing(later, 1, true));
    expect(await eventually(() => locks!.isLocked(later))).toBe(true);

    // An older version arriving late never undoes a newer one.
    await redis.publish(accountStanding.channel(prefix), standing(early, 4, false));
    await redis.publish(accountStanding.channel(prefix), standing(early, 2, true));
    // One channel keeps its order: once a later sentinel is seen, the stale standing was read too.
    const sentinel = randomUUID();
    await redis.publish(accountStanding.channel(prefix), standing(sentinel, 1, true));
    expect(await eventually(() => locks!.isLocked(sentinel))).toBe(true);
    expect(locks.isLocked(early)).toBe(false);
  });
});
