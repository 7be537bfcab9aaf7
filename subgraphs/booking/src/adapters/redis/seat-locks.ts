import { randomUUID } from 'node:crypto';
import type { Redis } from '@ticketing/platform';
import type { SeatLocks } from '../../application/ports';

// All seats or none, in one round trip: the keys arrive sorted, so two holds on overlapping
// seats always contend on the same first key and neither can hold half of the other's set.
// (redlock takes one resource per call; on a single Redis node this script is the same
// SET NX PX + owner token, for many keys atomically.)
const ACQUIRE = `
for i = 1, #KEYS do
  if redis.call('EXISTS', KEYS[i]) == 1 then return 0 end
end
for i = 1, #KEYS do
  redis.call('SET', KEYS[i], ARGV[1], 'PX', ARGV[2])
end
return 1`;

// Only the owner releases: a lock that expired and was taken by someone else stays theirs.
const RELEASE = `
local released = 0
for i = 1, #KEYS do
  if redis.call('GET', KEYS[i]) == ARGV[1] then
    redis.call('DEL', KEYS[i])
    released = released + 1
  end
end
return released`;

/**
 * The fast layer in front of PostgreSQL's claim index: while one request holds a seat's lock,
 * every other request for it is turned away in one Redis call. The TTL bounds a crashed
 * holder's lock; correctness never depends on it (the database is the fence).
 */
export function createRedisSeatLocks(redis: Redis, ttlMs: number): SeatLocks {
  return {
    async acquire(scheduleId, seatIds) {
      // One hash tag per schedule: every key of one hold lives in the same Redis Cluster slot.
      const keys = [...seatIds].sort().map((seatId) => `lock:seat:{${scheduleId}}:${seatId}`);
      const token = randomUUID();
      const acquired = (await redis.eval(ACQUIRE, keys.length, ...keys, token, ttlMs)) as number;
      if (acquired !== 1) return null;
      return {
        release: async () => {
          // Best effort: by now the hold is decided (committed or rolled back) and a lock left
          // behind lapses at its TTL. A throw here replaced a committed hold's answer with an
          // error, so the fan was told it failed while holding the seats (bench/faults, Redis crash).
          await redis.eval(RELEASE, keys.length, ...keys, token).catch(() => undefined);
        },
      };
    },
  };
}
