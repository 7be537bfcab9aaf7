import { randomUUID } from 'node:crypto';
import { HASH_EXPIRY_FIELD, HASH_EXPIRY_LUA, type Redis } from '@ticketing/platform';
import type { SeatLocks } from '../../application/ports';

// One hash per schedule, a field per locked seat holding `<owner token>:<expiry in ms>`, so a
// hold of any number of seats costs the same few commands (three to take, three to give back;
// a key per seat cost two per seat each way, most of a hold's Redis work). All seats or none,
// atomically. A field past its expiry is free: a crashed holder's lock lapses like a key's TTL
// would. (redlock takes one resource per call; on a single Redis node this script is the same
// owner-token lock, for many seats atomically.)
//
// The expiry is stamped and judged on the calling process's clock (ARGV[3]), not Redis's TIME
// (issue 10: TIME was one of a take's four commands, one in nine of a hold's), as booking already
// judges admission passes (ADR 0013) and access tokens. Two booking processes' clocks may
// disagree by the milliseconds NTP leaves, against TTLs of seconds, and correctness never rests
// on a lock's expiry: a lock judged lapsed a little early only lets a second hold reach
// PostgreSQL, whose claim index refuses it, as it would after any lapse.
//
// The hash itself expires, so nothing stays once the on-sale quiets down: it keeps its expiry in a
// field read by the same HMGET and moves it only when a new lock would outlive it (platform's
// HASH_EXPIRY_LUA), so a schedule's takes set it about once per TTL, not once each (issue 10: the
// PEXPIRE was one of a take's five commands). PEXPIREAT reads that time on Redis's clock, two
// TTLs on, so the same milliseconds of disagreement cannot end a lock early.
const ACQUIRE = `${HASH_EXPIRY_LUA}
local ttl = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local held = redis.call('HMGET', KEYS[1], '${HASH_EXPIRY_FIELD}', unpack(ARGV, 4))
for i = 2, #held do
  if held[i] and tonumber(string.match(held[i], ':(%d+)$')) > now then return 0 end
end
local value = ARGV[1] .. ':' .. (now + ttl)
local fields = {}
for i = 4, #ARGV do
  fields[#fields + 1] = ARGV[i]
  fields[#fields + 1] = value
end
local expires = expiryToSet(fields, held[1], now, ttl)
redis.call('HSET', KEYS[1], unpack(fields))
if expires then redis.call('PEXPIREAT', KEYS[1], expires) end
return 1`;

// Only the owner releases: a lock that lapsed and was taken by someone else stays theirs.
// ARGV: seat, owner, seat, owner, … (one call gives back the locks of several owners).
const RELEASE = `
local seats = {}
for i = 1, #ARGV, 2 do seats[#seats + 1] = ARGV[i] end
local held = redis.call('HMGET', KEYS[1], unpack(seats))
local mine = {}
for i = 1, #held do
  local prefix = ARGV[i * 2] .. ':'
  if held[i] and string.sub(held[i], 1, #prefix) == prefix then mine[#mine + 1] = seats[i] end
end
if #mine == 0 then return 0 end
return redis.call('HDEL', KEYS[1], unpack(mine))`;

interface SeatLockScripts {
  seatLocksAcquire(key: string, token: string, ttlMs: string, nowMs: string, ...seatIds: string[]): Promise<number>;
  seatLocksRelease(key: string, ...seatOwnerPairs: string[]): Promise<number>;
}

/** The schedule's lock hash; its hash tag keeps it in the slot of the schedule's other keys (Redis Cluster). */
export const seatLocksKey = (scheduleId: string) => `lock:seats:{${scheduleId}}`;

/**
 * The fast layer in front of PostgreSQL's claim index: while one request holds a seat's lock,
 * every other request for it is turned away in one Redis call. The TTL bounds a crashed
 * holder's lock; correctness never depends on it (the database is the fence). A lock taken for
 * an owner (a hold names its booking) can be given back by that owner later (`releaseOwned`).
 */
export function createRedisSeatLocks(redis: Redis, ttlMs: number, clock: () => number = Date.now): SeatLocks {
  // ioredis sends EVALSHA (EVAL once after a script cache flush) and prefixes exactly the keys.
  if (!('seatLocksAcquire' in redis)) redis.defineCommand('seatLocksAcquire', { numberOfKeys: 1, lua: ACQUIRE });
  if (!('seatLocksRelease' in redis)) redis.defineCommand('seatLocksRelease', { numberOfKeys: 1, lua: RELEASE });
  const scripts = redis as unknown as SeatLockScripts;
  const releaseOwned: SeatLocks['releaseOwned'] = async (scheduleId, owned) => {
    if (owned.length === 0) return;
    await scripts.seatLocksRelease(seatLocksKey(scheduleId), ...owned.flatMap(({ seatId, owner }) => [seatId, owner]));
  };
  return {
    async acquire(scheduleId, seatIds, owner = randomUUID()) {
      const seats = [...seatIds].sort();
      const acquired = await scripts.seatLocksAcquire(seatLocksKey(scheduleId), owner, String(ttlMs), String(clock()), ...seats);
      if (acquired !== 1) return null;
      return {
        release: async () => {
          // Best effort: by now the hold is decided (committed or rolled back) and a lock left
          // behind lapses at its TTL. A throw here replaced a committed hold's answer with an
          // error, so the fan was told it failed while holding the seats (bench/faults, Redis crash).
          await releaseOwned(scheduleId, seats.map((seatId) => ({ seatId, owner }))).catch(() => undefined);
        },
      };
    },
    releaseOwned,
  };
}
