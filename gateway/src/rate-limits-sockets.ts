import { randomUUID } from 'node:crypto';
import type { Redis } from '@ticketing/platform';

/** A socket's slot is a lease its gateway renews; a crashed gateway's sockets stop counting after it. */
const LEASE_MS = 60_000;
const RENEW_EVERY_MS = LEASE_MS / 3;

const nowMs = "local t = redis.call('TIME') local now = t[1] * 1000 + math.floor(t[2] / 1000)";

/**
 * KEYS: the caller's socket sets (user first when signed in, then address). ARGV: lease ms,
 * socket id, then each set's limit. Takes a slot in every set or in none; answers the index of
 * the full set (1-based) or 0. Expired leases are dropped first. Redis's clock, not the gateways'.
 */
const TAKE = `${nowMs}
for i, key in ipairs(KEYS) do
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
  if redis.call('ZCARD', key) >= tonumber(ARGV[2 + i]) then return i end
end
for _, key in ipairs(KEYS) do
  redis.call('ZADD', key, now + ARGV[1], ARGV[2])
  redis.call('PEXPIRE', key, ARGV[1])
end
return 0`;

/** Extends a live socket's lease in every set that still holds it (never revives a released slot). */
const RENEW = `${nowMs}
for _, key in ipairs(KEYS) do
  if redis.call('ZSCORE', key, ARGV[2]) then
    redis.call('ZADD', key, now + ARGV[1], ARGV[2])
    redis.call('PEXPIRE', key, ARGV[1])
  end
end
return 0`;

export type SocketSlot = { ok: true; release: () => Promise<void> } | { ok: false; scope: 'user' | 'ip' };

/**
 * Concurrent WebSockets per user and per address, counted in Redis so the limits hold across
 * gateway instances: one sorted set per user and per address, a member per socket, scored by
 * its lease's end.
 */
export function socketSlots(redis: Redis, limits: { perUser: number; perIp: number }) {
  const held = new Map<string, string[]>();
  const renew = setInterval(() => {
    for (const [socketId, keys] of held) {
      redis.eval(RENEW, keys.length, ...keys, LEASE_MS, socketId).catch(() => undefined); // the next round retries
    }
  }, RENEW_EVERY_MS);
  renew.unref();

  return {
    async take(caller: { userId: string | undefined; ip: string }): Promise<SocketSlot> {
      const sets = [
        ...(caller.userId ? [{ key: `sockets:user:${caller.userId}`, limit: limits.perUser, scope: 'user' as const }] : []),
        { key: `sockets:ip:${caller.ip}`, limit: limits.perIp, scope: 'ip' as const },
      ];
      const keys = sets.map((set) => set.key);
      const socketId = randomUUID();
      const full = Number(await redis.eval(TAKE, keys.length, ...keys, LEASE_MS, socketId, ...sets.map((set) => set.limit)));
      if (full > 0) return { ok: false, scope: sets[full - 1]!.scope };
      held.set(socketId, keys);
      return {
        ok: true,
        release: async () => {
          if (!held.delete(socketId)) return;
          await Promise.all(keys.map((key) => redis.zrem(key, socketId)));
        },
      };
    },
    close(): void {
      clearInterval(renew);
    },
  };
}
