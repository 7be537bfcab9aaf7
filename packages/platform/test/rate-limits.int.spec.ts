import { randomUUID } from 'node:crypto';
import { redisCommandCounter, type RedisCommandCounter } from '@ticketing/test-support';
import { bucketsLimiter, createRedis, escalatingLimiter, redisLimiter, type BucketShape, type Redis } from '../src';

/*
 * The Redis-backed limiters against a real Redis, on a key prefix of their own: what a call
 * costs Redis (counted by MONITOR, never timed), and that the cheaper counter script keeps the
 * library's fixed window, its refusals and their waits.
 */
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const prefix = `rate-limits-spec:${randomUUID()}:`;

let redis: Redis;
let counter: RedisCommandCounter;

beforeAll(async () => {
  redis = createRedis(REDIS_URL, prefix);
  counter = await redisCommandCounter(redis, { url: REDIS_URL, keyPrefix: prefix });
});

/** The start of the next minute: a clock for a spec's limiter whose windows are where the spec says, and still to come (their hashes expire on Redis's clock). */
const nextMinute = () => (Math.floor(Date.now() / 60_000) + 1) * 60_000;

afterAll(async () => {
  counter.close();
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys.map((key) => key.slice(prefix.length)));
  await redis.quit();
});

describe('a fixed-window limiter in Redis', () => {
  it('given a new key, when it is consumed, then the window starts with its expiry, in one script of two commands and one EXPIRE', async () => {
    const limiter = redisLimiter(redis, { name: 'spec-first', points: 5, windowSeconds: 60 });
    await limiter.consume('warm-up'); // ioredis sends the script itself (EVAL) on its first use, EVALSHA after
    const { counts } = await counter.count(() => limiter.consume('fan'));
    expect(counts).toEqual({ evalsha: 1, 'lua incrby': 1, 'lua expire': 1 });
    const ttl = await redis.pttl('rl:spec-first:fan');
    expect(ttl).toBeGreaterThan(55_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('given a window under way, when a call is allowed, then it costs the script and one INCRBY, and the window keeps its expiry', async () => {
    const limiter = redisLimiter(redis, { name: 'spec-allowed', points: 5, windowSeconds: 60 });
    await limiter.consume('fan');
    await redis.pexpire('rl:spec-allowed:fan', 30_000);
    const { result, counts } = await counter.count(() => limiter.consume('fan', 2));
    expect(counts).toEqual({ evalsha: 1, 'lua incrby': 1 });
    expect(result.consumedPoints).toBe(3);
    expect(await redis.pttl('rl:spec-allowed:fan')).toBeLessThanOrEqual(30_000);
  });

  it('given the limit reached, when another call comes, then it is refused with the milliseconds left in the window', async () => {
    const limiter = redisLimiter(redis, { name: 'spec-refused', points: 2, windowSeconds: 60 });
    await limiter.consume('fan', 2);
    await redis.pexpire('rl:spec-refused:fan', 7_000);
    const { result: refusal, counts } = await counter.count(() => limiter.consume('fan').then(() => null, (rejection: unknown) => rejection));
    expect(counts).toEqual({ evalsha: 1, 'lua incrby': 1, 'lua pttl': 1 });
    expect(refusal).toMatchObject({ consumedPoints: 3, remainingPoints: 0 });
    const msBeforeNext = (refusal as { msBeforeNext: number }).msBeforeNext;
    expect(msBeforeNext).toBeGreaterThan(5_000);
    expect(msBeforeNext).toBeLessThanOrEqual(7_000);
  });

  it('given a counter left without an expiry, when it is refused, then the key is given the window again (it never counts forever)', async () => {
    const limiter = redisLimiter(redis, { name: 'spec-heal', points: 2, windowSeconds: 60 });
    await redis.set('rl:spec-heal:fan', '9');
    await expect(limiter.consume('fan')).rejects.toMatchObject({ consumedPoints: 10, msBeforeNext: 60_000 });
    expect(await redis.pttl('rl:spec-heal:fan')).toBeGreaterThan(55_000);
  });

  it('given a window that lapses, when the next call comes, then it counts from one again', async () => {
    const limiter = redisLimiter(redis, { name: 'spec-lapse', points: 1, windowSeconds: 1 });
    await limiter.consume('fan');
    await expect(limiter.consume('fan')).rejects.toMatchObject({ consumedPoints: 2 });
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await expect(limiter.consume('fan')).resolves.toMatchObject({ consumedPoints: 1 });
  });

  it('given 200 concurrent callers on one key, then exactly the limit is allowed and the counter holds every call', async () => {
    const limiter = redisLimiter(redis, { name: 'spec-race', points: 37, windowSeconds: 60 });
    const answers = await Promise.all(Array.from({ length: 200 }, () => limiter.consume('fan').then(() => true, () => false)));
    expect(answers.filter(Boolean)).toHaveLength(37);
    expect(await redis.get('rl:spec-race:fan')).toBe('200');
    expect(await redis.pttl('rl:spec-race:fan')).toBeGreaterThan(55_000);
  });
});

describe('the limiters built on it', () => {
  it('given a bucket, then the steady rate, then the burst pool, then a refusal with the shorter wait of the two windows', async () => {
    // 3.5 s into a minute: 56.5 s left of the steady 60-s window, 6.5 s of the 10-s burst window.
    const at = nextMinute() + 3_500;
    const bucket = bucketsLimiter(redis, [{ name: 'spec-bursty', rate: 2, windowSeconds: 60, burst: 1, burstWindowSeconds: 10 }], () => at);
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await bucket.admit(['fan']));
    expect(answers.slice(0, 3)).toEqual([{ allowed: true }, { allowed: true }, { allowed: true }]);
    expect(answers[3]).toEqual({ allowed: false, retryAfterSeconds: 7 });
    // One hash per window, a field per key.
    expect(await redis.hget(`rl:spec-bursty:${at / 60_000 | 0}`, 'fan')).toBe('4');
    expect(await redis.hget(`rl:spec-bursty:burst:${Math.floor(at / 10_000)}`, 'fan')).toBe('2');
  });

  it('given an escalating limiter, then the crossing attempt locks the key and a second lock-out within the day doubles', async () => {
    const limiter = escalatingLimiter(redis, { name: 'spec-escalating', points: 1, windowSeconds: 60, blockSeconds: 5, maxBlockSeconds: 60 });
    expect(await limiter.attempt('address')).toEqual({ allowed: true });
    expect(await limiter.attempt('address')).toEqual({ allowed: false, retryAfterSeconds: 5 });
    expect(await limiter.attempt('address')).toMatchObject({ allowed: false });
    await redis.del('rl:spec-escalating:address');
    expect(await limiter.attempt('address')).toEqual({ allowed: true });
    expect(await limiter.attempt('address')).toEqual({ allowed: false, retryAfterSeconds: 10 });
  });
});

describe('an operation counted against two buckets (the address and the user)', () => {
  const shapes = (name: string, user: Partial<BucketShape> = {}): BucketShape[] => [
    { name: `${name}-ip`, rate: 100, windowSeconds: 60, burst: 10, burstWindowSeconds: 60 },
    { name: `${name}-user`, rate: 100, windowSeconds: 60, burst: 10, burstWindowSeconds: 60, ...user },
  ];
  const windowOf = (at: number) => Math.floor(at / 60_000);

  it('counts commands, not time: one script call and an HINCRBY per bucket; each window\'s expiry set once by a process, not once per key', async () => {
    await bucketsLimiter(redis, shapes('spec-op-warm-up')).admit(['127.0.0.1', 'warm-up']); // ioredis sends the script itself (EVAL) on its first use
    let at = nextMinute() + 1_000;
    const ops = bucketsLimiter(redis, shapes('spec-op'), () => at);
    const opened = await counter.count(() => ops.admit(['127.0.0.2', 'fan']));
    expect(opened.counts).toEqual({ evalsha: 1, 'lua hincrby': 2, 'lua pexpireat': 2 });
    // The window's hash lives a window past its end, on Redis's clock.
    const asked = Date.now();
    const ttl = await redis.pttl(`rl:spec-op-user:${windowOf(at)}`);
    expect(ttl).toBeGreaterThan((windowOf(at) + 2) * 60_000 - asked - 1_000);
    expect(ttl).toBeLessThanOrEqual((windowOf(at) + 2) * 60_000 - asked);

    const again = await counter.count(() => ops.admit(['127.0.0.2', 'fan']));
    expect(again.result).toEqual({ allowed: true });
    expect(again.counts).toEqual({ evalsha: 1, 'lua hincrby': 2 });
    // A fan, and an address, new to the window cost no expiry of their own.
    const newcomer = await counter.count(() => ops.admit(['127.0.0.3', 'another fan']));
    expect(newcomer.counts).toEqual({ evalsha: 1, 'lua hincrby': 2 });
    // Anonymous: the address's bucket alone.
    const anonymous = await counter.count(() => ops.admit(['127.0.0.2', null]));
    expect(anonymous.counts).toEqual({ evalsha: 1, 'lua hincrby': 1 });
    // Another process sets the same window's expiry once of its own (it cannot know this one did).
    const otherProcess = bucketsLimiter(redis, shapes('spec-op'), () => at);
    expect((await counter.count(() => otherProcess.admit(['127.0.0.2', 'fan']))).counts).toEqual({ evalsha: 1, 'lua hincrby': 2, 'lua pexpireat': 2 });
    expect((await counter.count(() => otherProcess.admit(['127.0.0.2', 'fan']))).counts).toEqual({ evalsha: 1, 'lua hincrby': 2 });

    // The next window counts from one in a hash of its own, whose expiry the process sets again.
    at += 60_000;
    const next = await counter.count(() => ops.admit(['127.0.0.2', 'fan']));
    expect(next.counts).toEqual({ evalsha: 1, 'lua hincrby': 2, 'lua pexpireat': 2 });
    expect(await redis.hget(`rl:spec-op-user:${windowOf(at)}`, 'fan')).toBe('1');
    expect(await redis.hget(`rl:spec-op-user:${windowOf(at) - 1}`, 'fan')).toBe('4');
  });

  it('given Redis lost a window (a restart), then once the connection is ready again the process sets the window\'s expiry again', async () => {
    const client = createRedis(REDIS_URL, prefix);
    try {
      await client.ping(); // ready: a client still connecting counts in memory
      const at = nextMinute();
      const ops = bucketsLimiter(client, shapes('spec-op-restart'), () => at);
      const key = `rl:spec-op-restart-user:${windowOf(at)}`;
      await ops.admit(['127.0.0.4', 'fan']);
      expect(await redis.pttl(key)).toBeGreaterThan(0);
      await redis.del(key);
      await ops.admit(['127.0.0.4', 'fan']);
      expect(await redis.pttl(key)).toBe(-1); // this process believes it set it
      const ready = new Promise((resolve) => client.once('ready', resolve));
      client.disconnect(true);
      await ready;
      await ops.admit(['127.0.0.4', 'fan']);
      expect(await redis.pttl(key)).toBeGreaterThan(0);
      expect(await redis.hget(key, 'fan')).toBe('2');
    } finally {
      client.disconnect();
    }
  });

  it("given one user's buckets spent, then that user is refused with the longest wait while another user of the same address goes on, and the address counted both", async () => {
    // At a minute's start: 60 s left of the steady windows, 20 s of the user's 20-s burst window.
    const at = nextMinute();
    const ops = bucketsLimiter(redis, shapes('spec-op-refused', { rate: 1, burst: 1, burstWindowSeconds: 20 }), () => at);
    expect(await ops.admit(['10.0.0.1', 'greedy'])).toEqual({ allowed: true });
    expect(await ops.admit(['10.0.0.1', 'greedy'])).toEqual({ allowed: true });
    const refused = await counter.count(() => ops.admit(['10.0.0.1', 'greedy']));
    expect(refused.result).toEqual({ allowed: false, retryAfterSeconds: 20 });
    // The wait is known from the clock: no TTL read.
    expect(refused.counts).toEqual({ evalsha: 1, 'lua hincrby': 3 });
    expect(await ops.admit(['10.0.0.1', 'polite'])).toEqual({ allowed: true });
    expect(await redis.hget(`rl:spec-op-refused-ip:${windowOf(at)}`, '10.0.0.1')).toBe('4');
  });

  it('RACE: 200 operations of one user at once: exactly rate + burst are allowed, and every one is counted', async () => {
    const at = nextMinute();
    const ops = bucketsLimiter(redis, shapes('spec-op-race', { rate: 30, burst: 7 }), () => at);
    const answers = await Promise.all(Array.from({ length: 200 }, () => ops.admit(['10.0.0.2', 'racer'])));
    expect(answers.filter((answer) => answer.allowed)).toHaveLength(37);
    expect(await redis.hget(`rl:spec-op-race-user:${windowOf(at)}`, 'racer')).toBe('200');
    expect(await redis.hget(`rl:spec-op-race-ip:${windowOf(at)}`, '10.0.0.2')).toBe('200');
  });

  it('given Redis not ready, then each process counts in memory: the same buckets, refusals included', async () => {
    const unreachable = createRedis('redis://127.0.0.1:1', prefix, { lazyConnect: true, maxRetriesPerRequest: 0 });
    try {
      const ops = bucketsLimiter(unreachable, shapes('spec-op-insured', { rate: 1, burst: 1, burstWindowSeconds: 20 }));
      expect(await ops.admit(['10.0.0.3', 'fan'])).toEqual({ allowed: true });
      expect(await ops.admit(['10.0.0.3', 'fan'])).toEqual({ allowed: true });
      expect(await ops.admit(['10.0.0.3', 'fan'])).toEqual({ allowed: false, retryAfterSeconds: 20 });
      expect(unreachable.status).not.toBe('ready');
    } finally {
      unreachable.disconnect();
    }
  });
});
