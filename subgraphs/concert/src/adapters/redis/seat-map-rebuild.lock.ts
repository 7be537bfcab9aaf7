import type { Logger, Redis } from '@ticketing/platform';
import type { SeatMapRebuildLock } from '../../application/ports';

/** The part of redlock 4.2.0's API we use: the package ships no type declarations. */
interface RedlockLock {
  unlock(): PromiseLike<void>;
}
interface RedlockConstructor {
  new (clients: Redis[], options: { retryCount: number }): { lock(resource: string, ttlMs: number): PromiseLike<RedlockLock> };
  LockError: new (...args: never[]) => Error;
}
// A local require keeps the declaration private to this adapter (no global `declare module`).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Redlock = require('redlock') as RedlockConstructor;

export const seatMapLockKey = (scheduleId: string) => `lock:seatmap:{${scheduleId}}`;

/**
 * Redlock on the service's own Redis client: ioredis applies REDIS_KEY_PREFIX to the keys of
 * redlock's EVALSHA calls too, so locks stay inside the deployment's (or test run's) namespace.
 * `retryCount: 0` because a caller that loses does not queue for the lock; it waits for the
 * winner's result in the cache instead.
 */
export function createRedlockSeatMapRebuildLock(redis: Redis, options: { ttlMs: number; logger: Logger }): SeatMapRebuildLock {
  const redlock = new Redlock([redis], { retryCount: 0 });
  return {
    async tryAcquire(scheduleId) {
      let lock: RedlockLock;
      try {
        lock = await redlock.lock(seatMapLockKey(scheduleId), options.ttlMs);
      } catch (error) {
        if (error instanceof Redlock.LockError) return null;
        throw error;
      }
      return async () => {
        try {
          await lock.unlock();
        } catch (error) {
          // The lease already expired (a slow rebuild); nothing to release, nothing to fix.
          options.logger.warn({ err: error, scheduleId }, 'seat-map rebuild lock expired before release');
        }
      };
    },
  };
}
