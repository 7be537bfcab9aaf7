import type { GraphQLError } from 'graphql';
import { BurstyRateLimiter, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { z } from 'zod';
import { clientError, ErrorCode } from './errors';
import type { Redis } from './redis';

/** What a limiter answers: go ahead, or wait this many whole seconds. */
export type Admission = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export const ALLOWED: Admission = { allowed: true };

/** Whole seconds, never 0: "retry in 0 s" invites a hot loop. */
export const retryAfterSeconds = (msBeforeNext: number) => Math.max(1, Math.ceil(msBeforeNext / 1000));

/** RATE_LIMITED as API.md spells it; `http` gives the HTTP answer 429 and Retry-After (Apollo strips it from the body). */
export function rateLimitedError(seconds: number, message = 'Too many requests; try again later'): GraphQLError {
  return clientError(ErrorCode.RATE_LIMITED, message, {
    retryAfterSeconds: seconds,
    http: { status: 429, headers: new Map([['retry-after', String(seconds)]]) },
  });
}

/** The stricter of several answers: refused if any refuses, with the longest wait. */
export function strictest(admissions: Admission[]): Admission {
  let waits = 0;
  for (const admission of admissions) if (!admission.allowed) waits = Math.max(waits, admission.retryAfterSeconds);
  return waits > 0 ? { allowed: false, retryAfterSeconds: waits } : ALLOWED;
}

/** A positive whole number from the environment (limits and their windows). */
export const limitSetting = (fallback: number) => z.coerce.number().int().positive().default(fallback);

interface Consumer {
  consume(key: string, points?: number): Promise<RateLimiterRes>;
}

/** consume → Admission; a refusal is a value, an infrastructure failure (no insurance left) throws. */
export async function admit(limiter: Consumer, key: string, points = 1): Promise<Admission> {
  try {
    await limiter.consume(key, points);
    return ALLOWED;
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) return { allowed: false, retryAfterSeconds: retryAfterSeconds(rejection.msBeforeNext) };
    throw rejection;
  }
}

/**
 * rate-limiter-flexible's counter script, cheaper for the common answer. The library's own runs
 * SET NX EX, INCRBY and PTTL on every call (four commands with the EVALSHA). This one INCRBYs,
 * sets the window's expiry only when the increment created the key, and reads the TTL only for a
 * refusal, where `msBeforeNext` becomes Retry-After: two commands per allowed call. An allowed
 * call answers -1 for the milliseconds left (unknown, and read by nobody: every caller here takes
 * the wait from a refusal). A key found without a TTL is given its window again, as the library's
 * script does, so no counter ever counts forever.
 * ARGV as the library passes them: points to consume, window seconds, the limit, its duration.
 */
const INCR_TTL_SCRIPT = `
local points, window = tonumber(ARGV[1]), tonumber(ARGV[2])
local consumed = redis.call('INCRBY', KEYS[1], points)
if consumed == points then
  redis.call('EXPIRE', KEYS[1], window)
  return {consumed, 1000 * window}
end
if consumed <= tonumber(ARGV[3]) then return {consumed, -1} end
local ttl = redis.call('PTTL', KEYS[1])
if ttl == -1 then
  redis.call('EXPIRE', KEYS[1], window)
  ttl = 1000 * window
end
return {consumed, ttl}`;

/**
 * A fixed-window counter shared by every process through Redis. While Redis is not ready each
 * process counts alone in memory (the insurance limiter): a Redis blip loosens the limits by the
 * number of instances for a moment instead of refusing every login or letting everything through.
 */
export function redisLimiter(redis: Redis, options: { name: string; points: number; windowSeconds: number }): RateLimiterRedis {
  const shape = { keyPrefix: `rl:${options.name}`, points: options.points, duration: options.windowSeconds };
  return new RateLimiterRedis({
    ...shape,
    storeClient: redis,
    // Every limiter on a client shares the library's one script name (rlflxIncr), so every one
    // must pass the same script.
    customIncrTtlLuaScript: INCR_TTL_SCRIPT,
    rejectIfRedisNotReady: true,
    insuranceLimiter: new RateLimiterMemory(shape),
  });
}

/** A token bucket as rate-limiter-flexible's BurstyRateLimiter builds one: `rate` per `windowSeconds` steadily, plus `burst` more per `burstWindowSeconds` for a page that fires many at once. */
export interface BucketShape {
  name: string;
  rate: number;
  windowSeconds: number;
  burst: number;
  burstWindowSeconds: number;
}

/**
 * Several buckets in one script call: each consumes its steady window and, once that is spent,
 * its burst pool, as BurstyRateLimiter does with two fixed windows; the answer is the longest wait
 * of the refusing buckets (each the shorter of its two windows'), 0 when every one allows.
 * BurstyRateLimiter takes one key per call, and an operation is counted against two (the address
 * and the user): two script calls of its own each. Here they are one (issue 10: Redis commands
 * per hold).
 *
 * Windows are aligned on the clock (window n covers [n·w, (n+1)·w)), and each window of a bucket
 * is one hash, a field per key (`rl:<name>:<n>`, `rl:<name>:burst:<n>`). A window per key, opened
 * at the key's first call, needed an EXPIRE for every key and window: a fan's every operation in a
 * one-second window of its own (0.8 of a hold's 9 Redis commands). A window's hash is given its
 * expiry once per process (the first call that process makes in it) and a burst window's when a
 * key first spills into it, so an allowed call is the script and an HINCRBY per bucket, and a
 * refusal's wait is known without reading a TTL. A window ends when its number does; the expiry,
 * a window after that (clocks of processes may disagree by milliseconds), only frees the memory.
 * KEYS: per bucket its steady hash, then its burst hash. ARGV: points, then per bucket the key,
 * rate, burst, steady expiry (ms, 0: already set), burst expiry, steady and burst ms left.
 */
const BUCKETS_SCRIPT = `
local points = tonumber(ARGV[1])
local wait = 0
for i = 1, #KEYS / 2 do
  local steady, burst, a = KEYS[2 * i - 1], KEYS[2 * i], 7 * (i - 1) + 1
  local key, rate, burstMax = ARGV[a + 1], tonumber(ARGV[a + 2]), tonumber(ARGV[a + 3])
  local used = redis.call('HINCRBY', steady, key, points)
  if ARGV[a + 4] ~= '0' then redis.call('PEXPIREAT', steady, ARGV[a + 4]) end
  if used > rate then
    local spilled = redis.call('HINCRBY', burst, key, points)
    if spilled == points then redis.call('PEXPIREAT', burst, ARGV[a + 5]) end
    if spilled > burstMax then wait = math.max(wait, math.min(tonumber(ARGV[a + 6]), tonumber(ARGV[a + 7]))) end
  end
end
return wait`;

interface BucketScript {
  rateLimitBuckets(numberOfKeys: number, ...keysThenArgs: Array<string | number>): Promise<number>;
}

/** The clock-aligned window `now` falls in, for a window of `seconds`. */
function windowAt(now: number, seconds: number) {
  const ms = 1000 * seconds;
  const n = Math.floor(now / ms);
  return { n, msLeft: (n + 1) * ms - now, expiresAt: (n + 2) * ms };
}

/**
 * Buckets (`shapes`) checked together, each against its own key, in one Redis call. While Redis is
 * not ready, or a call fails, each process counts alone in memory (rate-limiter-flexible's
 * BurstyRateLimiter over RateLimiterMemory, the insurance redisLimiter has too): a Redis blip
 * loosens the limits by the number of instances for a moment instead of refusing everything.
 */
export function bucketsLimiter(redis: Redis, shapes: readonly BucketShape[], clock: () => number = Date.now) {
  if (!('rateLimitBuckets' in redis)) redis.defineCommand('rateLimitBuckets', { lua: BUCKETS_SCRIPT });
  const script = redis as unknown as BucketScript;
  const insurance = shapes.map(
    (shape) =>
      new BurstyRateLimiter(
        new RateLimiterMemory({ keyPrefix: `rl:${shape.name}`, points: shape.rate, duration: shape.windowSeconds }),
        new RateLimiterMemory({ keyPrefix: `rl:${shape.name}:burst`, points: shape.burst, duration: shape.burstWindowSeconds }),
      ),
  );
  // Per shape, the last steady window this process gave its expiry. Forgotten when Redis comes
  // back (a restart may have lost the hash with its expiry), so the next call sets it again.
  const expirySet: Array<number | undefined> = shapes.map(() => undefined);
  redis.on('ready', () => expirySet.fill(undefined));
  return {
    /** One key per shape, in order; a null key leaves that bucket out (no user for an anonymous caller). */
    async admit(keys: ReadonlyArray<string | null>, points = 1): Promise<Admission> {
      const counted = shapes.flatMap((shape, i) => (keys[i] == null ? [] : [{ shape, key: keys[i]!, i }]));
      if (counted.length === 0) return ALLOWED;
      if (redis.status === 'ready') {
        const now = clock();
        const windows = counted.map(({ shape, key, i }) => {
          const steady = windowAt(now, shape.windowSeconds);
          const burst = windowAt(now, shape.burstWindowSeconds);
          const setExpiry = expirySet[i] !== steady.n;
          expirySet[i] = steady.n;
          return { shape, key, i, steady, burst, setExpiry };
        });
        try {
          const wait = await script.rateLimitBuckets(
            2 * windows.length,
            ...windows.flatMap(({ shape, steady, burst }) => [`rl:${shape.name}:${steady.n}`, `rl:${shape.name}:burst:${burst.n}`]),
            points,
            ...windows.flatMap(({ shape, key, steady, burst, setExpiry }) => [
              key,
              shape.rate,
              shape.burst,
              setExpiry ? steady.expiresAt : 0,
              burst.expiresAt,
              steady.msLeft,
              burst.msLeft,
            ]),
          );
          return wait > 0 ? { allowed: false, retryAfterSeconds: retryAfterSeconds(wait) } : ALLOWED;
        } catch {
          // Not known to have set the expiry: the next call sets it. Counted in memory below, as
          // the library's insurance limiter would.
          for (const { setExpiry, i } of windows) if (setExpiry) expirySet[i] = undefined;
        }
      }
      return strictest(await Promise.all(counted.map(({ key, i }) => admit(insurance[i]!, key, points))));
    },
  };
}

/** Lock-outs are remembered this long, so the next one after a quiet day starts short again. */
const LOCKOUT_MEMORY_SECONDS = 24 * 60 * 60;

export interface EscalatingLimiterOptions {
  name: string;
  /** Attempts allowed per window; the next one locks the key. */
  points: number;
  windowSeconds: number;
  /** The first lock-out; each further one within a day doubles it, up to `maxBlockSeconds`. */
  blockSeconds: number;
  maxBlockSeconds: number;
}

/**
 * Attempts per key with growing lock-outs. Only the attempt that crosses the limit locks (the
 * counter is one atomic INCR, so exactly one caller sees the crossing); later ones wait it out.
 */
export function escalatingLimiter(redis: Redis, options: EscalatingLimiterOptions) {
  const attempts = redisLimiter(redis, { name: options.name, points: options.points, windowSeconds: options.windowSeconds });
  const lockouts = redisLimiter(redis, { name: `${options.name}:lockouts`, points: 1, windowSeconds: LOCKOUT_MEMORY_SECONDS });
  return {
    async attempt(key: string, points = 1): Promise<Admission> {
      try {
        await attempts.consume(key, points);
        return ALLOWED;
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        const alreadyLocked = rejection.consumedPoints - points > options.points;
        if (alreadyLocked) return { allowed: false, retryAfterSeconds: retryAfterSeconds(rejection.msBeforeNext) };
        const strikes = (await lockouts.penalty(key, 1)).consumedPoints;
        const seconds = Math.min(options.blockSeconds * 2 ** Math.max(0, strikes - 1), options.maxBlockSeconds);
        await attempts.block(key, seconds);
        return { allowed: false, retryAfterSeconds: seconds };
      }
    },
    /** Forget the key's attempts and lock-outs (a successful login). */
    async reset(key: string): Promise<void> {
      await Promise.all([attempts.delete(key), lockouts.delete(key)]);
    },
  };
}

export type EscalatingLimiter = ReturnType<typeof escalatingLimiter>;
