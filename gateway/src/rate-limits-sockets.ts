import { randomUUID } from 'node:crypto';
import type { Redis } from '@ticketing/platform';

/**
 * A gateway's sockets count while the gateway is alive: it renews one lease for all of them, and a
 * crashed gateway's sockets stop counting once its lease lapses. One lease per gateway rather than
 * one per socket, so holding 10,000 idle sockets costs one Redis command per renewal, not 10,000
 * (bench:sockets measured the per-socket renewal at 6.6% of a core for 10,000 idle sockets).
 */
const LEASE_MS = 60_000;
/** A set nobody took a slot in for this long is dropped whole (its gateways' own releases keep it small). */
const SET_TTL_MS = 24 * 60 * 60 * 1000;

const nowMs = "local t = redis.call('TIME') local now = t[1] * 1000 + math.floor(t[2] / 1000)";

/**
 * KEYS: the caller's socket sets (user first when signed in, then address). ARGV: the gateways'
 * lease key base (client prefix included: built here, so not prefixed by the client), member
 * (`<gateway>|<socket>`), set ttl ms, then each set's limit. Takes a slot in every set or in none;
 * answers the index of the full set (1-based) or 0. Only a set that looks full is swept of members
 * whose gateway's lease has lapsed, one EXISTS per gateway, so a take costs O(1) until the limit.
 */
const TAKE = `${nowMs}
for i, key in ipairs(KEYS) do
  local limit = tonumber(ARGV[3 + i])
  if redis.call('ZCARD', key) >= limit then
    local alive = {}
    for _, member in ipairs(redis.call('ZRANGE', key, 0, -1)) do
      local gateway = string.match(member, '^([^|]+)|')
      if alive[gateway] == nil then alive[gateway] = redis.call('EXISTS', ARGV[1] .. gateway) == 1 end
      if not alive[gateway] then redis.call('ZREM', key, member) end
    end
    if redis.call('ZCARD', key) >= limit then return i end
  end
end
for _, key in ipairs(KEYS) do
  redis.call('ZADD', key, now, ARGV[2])
  redis.call('PEXPIRE', key, ARGV[3])
end
return 0`;

export type SocketSlot = { ok: true; release: () => Promise<void> } | { ok: false; scope: 'user' | 'ip' };

/**
 * Concurrent WebSockets per user and per address, counted in Redis so the limits hold across
 * gateway instances: one sorted set per user and per address, a member per socket named by its
 * gateway, which keeps `sockets:gateway:<id>` alive while it runs.
 */
export function socketSlots(redis: Redis, limits: { perUser: number; perIp: number }, options: { leaseMs?: number } = {}) {
  const leaseMs = options.leaseMs ?? LEASE_MS;
  const gatewayId = randomUUID();
  const leaseBase = `${String(redis.options.keyPrefix ?? '')}sockets:gateway:`;
  // The lease key is named in full above for the script; here the client adds the prefix itself.
  const renewLease = () => redis.set(`sockets:gateway:${gatewayId}`, '1', 'PX', leaseMs).catch(() => undefined); // the next round retries
  const leased = renewLease();
  const renew = setInterval(() => void renewLease(), leaseMs / 3);
  renew.unref();

  return {
    async take(caller: { userId: string | undefined; ip: string }): Promise<SocketSlot> {
      await leased;
      const sets = [
        ...(caller.userId ? [{ key: `sockets:user:${caller.userId}`, limit: limits.perUser, scope: 'user' as const }] : []),
        { key: `sockets:ip:${caller.ip}`, limit: limits.perIp, scope: 'ip' as const },
      ];
      const keys = sets.map((set) => set.key);
      const member = `${gatewayId}|${randomUUID()}`;
      const full = Number(await redis.eval(TAKE, keys.length, ...keys, leaseBase, member, SET_TTL_MS, ...sets.map((set) => set.limit)));
      if (full > 0) return { ok: false, scope: sets[full - 1]!.scope };
      let released = false;
      return {
        ok: true,
        release: async () => {
          if (released) return;
          released = true;
          await Promise.all(keys.map((key) => redis.zrem(key, member)));
        },
      };
    },
    /** Stops renewing: this gateway's sockets stop counting once the lease lapses (as after a crash). */
    close(): void {
      clearInterval(renew);
    },
  };
}
