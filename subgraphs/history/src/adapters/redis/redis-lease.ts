import { randomUUID } from 'node:crypto';
import type { Redis } from '@ticketing/platform';
import type { Lease } from '../../application/ports';

/** Extends or deletes the lease only while this holder's token is still the value (compare-and-set in one script). */
const RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";
const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

/**
 * A Redis lease: SET NX PX takes it, a token-checked PEXPIRE renews it. Redis rather than the
 * store, because FerretDB's findAndModify is not atomic under concurrency (ADR 0007) and a
 * conditional update there can have two winners. One Redis node: no redlock quorum is needed.
 */
export function createRedisLease(redis: Redis, key: string, ttlMs: number): Lease & { key: string } {
  const token = randomUUID();
  return {
    key,
    async acquire() {
      return (await redis.set(key, token, 'PX', ttlMs, 'NX')) === 'OK';
    },
    async renew() {
      return (await redis.eval(RENEW, 1, key, token, String(ttlMs))) === 1;
    },
    async release() {
      await redis.eval(RELEASE, 1, key, token);
    },
  };
}
