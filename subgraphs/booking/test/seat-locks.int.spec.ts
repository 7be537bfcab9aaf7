import { randomUUID } from 'node:crypto';
import { createRedis, type Redis } from '@ticketing/platform';
import { redisCommandCounter, type RedisCommandCounter } from '@ticketing/test-support';
import { createRedisSeatLocks, seatLocksKey } from '../src/adapters/redis/seat-locks';

/*
 * The seat locks against a real Redis: all seats or none, only the owner releases, a crashed
 * holder's lock lapses, a stampede on one seat lets exactly one through, and what a hold costs
 * Redis, counted by Redis itself (MONITOR), whatever the number of seats.
 */

const url = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const keyPrefix = `test:${randomUUID()}:`;
let redis: Redis;
let counter: RedisCommandCounter;

beforeAll(async () => {
  redis = createRedis(url, keyPrefix);
  counter = await redisCommandCounter(redis, { url, keyPrefix });
});
afterAll(() => {
  counter.close();
  redis.disconnect();
});

const seats = (n: number) => Array.from({ length: n }, () => randomUUID());
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('seat locks', () => {
  it('given seats locked, then any overlapping set is refused whole and a disjoint one is not; once released, the seats lock again', async () => {
    const locks = createRedisSeatLocks(redis, 10_000);
    const schedule = randomUUID();
    const [a, b, c, d] = seats(4);

    const first = await locks.acquire(schedule, [a!, b!]);
    expect(first).not.toBeNull();
    expect(await locks.acquire(schedule, [b!, c!])).toBeNull();
    // Refused whole: c was not taken by the refused attempt.
    const other = await locks.acquire(schedule, [c!, d!]);
    expect(other).not.toBeNull();
    // Another schedule's seats of the same ids are another lock.
    expect(await locks.acquire(randomUUID(), [a!, b!])).not.toBeNull();

    await first!.release();
    expect(await locks.acquire(schedule, [a!, b!])).not.toBeNull();
    expect(await locks.acquire(schedule, [d!])).toBeNull();
  });

  it('given a holder that never releases, then its lock lapses at the TTL, and its late release does not free the next owner’s seats', async () => {
    // A TTL long enough that a stalled test process (CI runs many suites at once) still asks
    // again before it ends: with 300 ms, one fresh-clone run saw the lock lapse in between.
    const TTL_MS = 1_500;
    const locks = createRedisSeatLocks(redis, TTL_MS);
    const schedule = randomUUID();
    const [a, b] = seats(2);

    const crashed = await locks.acquire(schedule, [a!, b!]);
    expect(crashed).not.toBeNull();
    expect(await locks.acquire(schedule, [a!])).toBeNull();
    await sleep(TTL_MS + 100);
    const next = await locks.acquire(schedule, [a!]);
    expect(next).not.toBeNull();

    await crashed!.release(); // frees b (still its own field, lapsed) but never a
    expect(await locks.acquire(schedule, [a!])).toBeNull();
    expect(await locks.acquire(schedule, [b!])).not.toBeNull();
    // The hash expires at most two TTLs after its last lock: nothing stays once the on-sale quiets down.
    expect(await redis.pttl(seatLocksKey(schedule))).toBeGreaterThan(TTL_MS - 300);
    await sleep(2 * TTL_MS + 100);
    expect(await redis.exists(seatLocksKey(schedule))).toBe(0);
  });

  it('given locks taken for owners, then an owner gives back only the seats it still holds, several owners in one call', async () => {
    const locks = createRedisSeatLocks(redis, 10_000);
    const schedule = randomUUID();
    const [a, b, c, d] = seats(4);
    const [first, second] = [randomUUID(), randomUUID()];
    expect(await locks.acquire(schedule, [a!, b!], first)).not.toBeNull();
    expect(await locks.acquire(schedule, [c!], second)).not.toBeNull();
    expect(await locks.acquire(schedule, [d!])).not.toBeNull();

    // A stranger naming the seats frees nothing; an owner naming a seat it does not hold frees nothing there.
    await locks.releaseOwned(schedule, [{ seatId: a!, owner: randomUUID() }, { seatId: d!, owner: first }]);
    expect(await locks.acquire(schedule, [a!])).toBeNull();
    expect(await locks.acquire(schedule, [d!])).toBeNull();

    const released = await counter.count(() => locks.releaseOwned(schedule, [{ seatId: a!, owner: first }, { seatId: b!, owner: first }, { seatId: c!, owner: second }]));
    expect(released.counts).toEqual({ evalsha: 1, 'lua hmget': 1, 'lua hdel': 1 });
    expect(await locks.acquire(schedule, [a!, b!, c!])).not.toBeNull();
    expect(await locks.acquire(schedule, [d!])).toBeNull();
  });

  it('RACE: 60 holds of overlapping seat sets at once, each around one hot seat: exactly one gets it, and no seat is ever locked by two', async () => {
    const locks = createRedisSeatLocks(redis, 10_000);
    const schedule = randomUUID();
    const pool = seats(12);
    const hot = pool[0]!;
    const wanted = Array.from({ length: 60 }, (_, i) => [hot, pool[1 + (i % 11)]!, pool[1 + ((i * 7) % 11)]!].filter((seat, j, all) => all.indexOf(seat) === j));

    const results = await Promise.all(wanted.map((set) => locks.acquire(schedule, set)));

    const winners = wanted.filter((_, i) => results[i] !== null);
    expect(winners).toHaveLength(1);
    // Every seat outside the winner's set is still free: the losers took nothing.
    const free = pool.filter((seat) => !winners[0]!.includes(seat));
    expect(await locks.acquire(schedule, free)).not.toBeNull();
  });

  it('given the locking process\'s clock, then a lock lapses at its TTL on that clock: a process whose clock reads one ms before is refused, one ms after takes it', async () => {
    const TTL_MS = 10_000;
    const takenAt = Date.now();
    const schedule = randomUUID();
    const [seat] = seats(1);
    expect(await createRedisSeatLocks(redis, TTL_MS, () => takenAt).acquire(schedule, [seat!])).not.toBeNull();
    expect(await createRedisSeatLocks(redis, TTL_MS, () => takenAt + TTL_MS - 1).acquire(schedule, [seat!])).toBeNull();
    expect(await createRedisSeatLocks(redis, TTL_MS, () => takenAt + TTL_MS + 1).acquire(schedule, [seat!])).not.toBeNull();
  });

  it('costs the same few commands for one seat as for four: three to take (the hash\'s expiry moved about once a TTL), three to give back', async () => {
    const TTL_MS = 10_000;
    const locks = createRedisSeatLocks(redis, TTL_MS);
    for (const n of [1, 4]) {
      const schedule = randomUUID();
      // The schedule's first take sets the hash's expiry, two TTLs on.
      const first = await counter.count(() => locks.acquire(schedule, seats(n)));
      // No TIME: the take is stamped on the process's clock (the counter sees a script's keyless commands).
      expect(first.counts).toEqual({ evalsha: 1, 'lua hmget': 1, 'lua hset': 1, 'lua pexpireat': 1 });
      expect(await redis.pttl(seatLocksKey(schedule))).toBeGreaterThan(TTL_MS);
      // The takes after it, within a TTL, find the hash outliving their locks and leave its expiry.
      const taken = await counter.count(() => locks.acquire(schedule, seats(n)));
      expect(taken.counts).toEqual({ evalsha: 1, 'lua hmget': 1, 'lua hset': 1 });
      const released = await counter.count(() => taken.result!.release());
      expect(released.counts).toEqual({ evalsha: 1, 'lua hmget': 1, 'lua hdel': 1 });
    }
    // A refused take stops after reading.
    const schedule = randomUUID();
    const held = seats(3);
    await locks.acquire(schedule, held);
    const refused = await counter.count(() => locks.acquire(schedule, held));
    expect(refused.result).toBeNull();
    expect(refused.counts).toEqual({ evalsha: 1, 'lua hmget': 1 });
  });
});
