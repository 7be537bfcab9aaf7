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
 * A fixed window in Lua, for the scripts below (ARGV[1]: the points a call consumes).
 * `consume` INCRBYs and sets the window's expiry only when the increment created the key;
 * `msLeft` reads what is left of it, giving a key found without a TTL its window again (as
 * rate-limiter-flexible's own script does), so no counter ever counts forever.
 */
const WINDOW_LUA = `
local points = tonumber(ARGV[1])
local function consume(key, window)
  local used = redis.call('INCRBY', key, points)
  if used == points then redis.call('EXPIRE', key, window) end
  return used
end
local function msLeft(key, window)
  local ttl = redis.call('PTTL', key)
  if ttl == -1 then
    redis.call('EXPIRE', key, window)
    ttl = 1000 * window
  end
  return ttl
end`;

/**
 * rate-limiter-flexible's counter script, cheaper for the common answer. The library's own runs
 * SET NX EX, INCRBY and PTTL on every call (four commands with the EVALSHA, and the gateway
 * counts every operation against two keys). This one INCRBYs, sets the window's expiry only when
 * the increment created the key, and reads the TTL only for a refusal, where `msBeforeNext`
 * becomes Retry-After: two commands per allowed call. An allowed call answers -1 for the
 * milliseconds left (unknown, and read by nobody: every caller here takes the wait from a
 * refusal). A key found without a TTL is given one, as the library's script does.
 * ARGV as the library passes them: points to consume, window seconds, the limit, its duration.
 */
const INCR_TTL_SCRIPT = `${WINDOW_LUA}
local consumed = consume(KEYS[1], tonumber(ARGV[2]))
if consumed == points then return {consumed, 1000 * tonumber(ARGV[2])} end
if consumed <= tonumber(ARGV[3]) then return {consumed, -1} end
return {consumed, msLeft(KEYS[1], tonumber(ARGV[2]))}`;

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
 * its burst pool, exactly as BurstyRateLimiter does with two RateLimiterRedis (the same keys, so
 * either version counts against the other during a rolling deploy); the answer is the longest wait
 * of the refusing buckets (each the shorter of its two windows'), 0 when every one allows.
 * BurstyRateLimiter takes one key per call, and an operation is counted against two (the address
 * and the user): two script calls of its own each. Here they are one (issue 10: Redis commands
 * per hold). Allowed: the INCRBY of each bucket, and an EXPIRE when it opened a window.
 * KEYS: per bucket its steady key, then its burst key. ARGV: points, then per bucket rate, window
 * seconds, burst, burst window seconds.
 */
const BUCKETS_SCRIPT = `${WINDOW_LUA}
local wait = 0
for i = 1, #KEYS / 2 do
  local steady, burst = KEYS[2 * i - 1], KEYS[2 * i]
  local rate, window = tonumber(ARGV[4 * i - 2]), tonumber(ARGV[4 * i - 1])
  local burstMax, burstWindow = tonumber(ARGV[4 * i]), tonumber(ARGV[4 * i + 1])
  if consume(steady, window) > rate and consume(burst, burstWindow) > burstMax then
    wait = math.max(wait, math.min(msLeft(steady, window), msLeft(burst, burstWindow)))
  end
end
return wait`;

interface BucketScript {
  rateLimitBuckets(numberOfKeys: number, ...keysThenArgs: Array<string | number>): Promise<number>;
}

/**
 * Buckets (`shapes`) checked together, each against its own key, in one Redis call. While Redis is
 * not ready, or a call fails, each process counts alone in memory (rate-limiter-flexible's
 * BurstyRateLimiter over RateLimiterMemory, the insurance redisLimiter has too): a Redis blip
 * loosens the limits by the number of instances for a moment instead of refusing everything.
 */
export function bucketsLimiter(redis: Redis, shapes: readonly BucketShape[]) {
  if (!('rateLimitBuckets' in redis)) redis.defineCommand('rateLimitBuckets', { lua: BUCKETS_SCRIPT });
  const script = redis as unknown as BucketScript;
  const insurance = shapes.map(
    (shape) =>
      new BurstyRateLimiter(
        new RateLimiterMemory({ keyPrefix: `rl:${shape.name}`, points: shape.rate, duration: shape.windowSeconds }),
        new RateLimiterMemory({ keyPrefix: `rl:${shape.name}:burst`, points: shape.burst, duration: shape.burstWindowSeconds }),
      ),
  );
  return {
    /** One key per shape, in order; a null key leaves that bucket out (no user for an anonymous caller). */
    async admit(keys: ReadonlyArray<string | null>, points = 1): Promise<Admission> {
      const counted = shapes.flatMap((shape, i) => (keys[i] == null ? [] : [{ shape, key: keys[i]!, i }]));
      if (counted.length === 0) return ALLOWED;
      if (redis.status === 'ready') {
        try {
          const wait = await script.rateLimitBuckets(
            2 * counted.length,
            ...counted.flatMap(({ shape, key }) => [`rl:${shape.name}:${key}`, `rl:${shape.name}:burst:${key}`]),
            points,
            ...counted.flatMap(({ shape }) => [shape.rate, shape.windowSeconds, shape.burst, shape.burstWindowSeconds]),
          );
          return wait > 0 ? { allowed: false, retryAfterSeconds: retryAfterSeconds(wait) } : ALLOWED;
        } catch {
          // Counted in memory below, as the library's insurance limiter would.
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
