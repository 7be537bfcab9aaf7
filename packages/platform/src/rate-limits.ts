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
 * SET NX EX, INCRBY and PTTL on every call (four commands with the EVALSHA, and the gateway
 * counts every operation against two keys). This one INCRBYs, sets the window's expiry only when
 * the increment created the key, and reads the TTL only for a refusal, where `msBeforeNext`
 * becomes Retry-After: two commands per allowed call. An allowed call answers -1 for the
 * milliseconds left (unknown, and read by nobody: every caller here takes the wait from a
 * refusal). A key found without a TTL is given one, as the library's script does.
 * ARGV as the library passes them: points to consume, window seconds, the limit, its duration.
 */
const INCR_TTL_SCRIPT = `
local consumed = redis.call('INCRBY', KEYS[1], ARGV[1])
if consumed == tonumber(ARGV[1]) then
  redis.call('EXPIRE', KEYS[1], ARGV[2])
  return {consumed, 1000 * tonumber(ARGV[2])}
end
if consumed <= tonumber(ARGV[3]) then return {consumed, -1} end
local ttl = redis.call('PTTL', KEYS[1])
if ttl == -1 then
  redis.call('EXPIRE', KEYS[1], ARGV[2])
  ttl = 1000 * tonumber(ARGV[2])
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

/**
 * A token bucket as rate-limiter-flexible builds one: `rate` operations per `windowSeconds`
 * steadily, plus a pool of `burst` more per `burstWindowSeconds` for a page that fires many at once.
 */
export function burstyLimiter(
  redis: Redis,
  options: { name: string; rate: number; windowSeconds: number; burst: number; burstWindowSeconds: number },
) {
  const bucket = new BurstyRateLimiter(
    redisLimiter(redis, { name: options.name, points: options.rate, windowSeconds: options.windowSeconds }),
    redisLimiter(redis, { name: `${options.name}:burst`, points: options.burst, windowSeconds: options.burstWindowSeconds }),
  );
  return { admit: (key: string, points = 1) => admit(bucket, key, points) };
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
