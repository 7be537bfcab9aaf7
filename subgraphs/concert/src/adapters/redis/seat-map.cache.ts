import { z } from 'zod';
import { HASH_EXPIRY_FIELD, HASH_EXPIRY_LUA, type Logger, type Redis } from '@ticketing/platform';
import type { SeatMapCache } from '../../application/ports';
import { SEAT_STATUSES, type Seat, type SeatStatus } from '../../domain/catalog';
import type { SeatMap } from '../../domain/seat-map';
import type { SeatStatusChange } from '../../domain/seat-projection';

/*
 * Keys carry the schedule id as a Redis Cluster hash tag, so a schedule's seats, statuses and
 * generation live in one slot (the scripts and the read stay single-slot). The deployment's key
 * prefix (REDIS_KEY_PREFIX) is added by the client in front of these. The seats keep the key the
 * whole map had before statuses moved out of it: during a rolling deploy an instance still on
 * that version deletes it on every change, which makes this version rebuild (and merge) too.
 */
export const seatMapKey = (scheduleId: string) => `seatmap:{${scheduleId}}`;
export const seatMapStatusesKey = (scheduleId: string) => `seatmap:{${scheduleId}}:statuses`;
export const seatMapGenerationKey = (scheduleId: string) => `seatmap:{${scheduleId}}:generation`;

/** The cached seats, in display order, without statuses; the schedule id once, not on every seat. */
const cachedSeatsSchema = z.object({
  scheduleId: z.string(),
  builtAt: z.iso.datetime(),
  seats: z.array(
    z.object({
      id: z.string(),
      section: z.string(),
      row: z.string(),
      number: z.number().int(),
      price: z.number().int(),
    }),
  ),
});
type CachedSeatsJson = z.infer<typeof cachedSeatsSchema>;
type CachedSeats = { builtAt: Date; seats: Array<Omit<Seat, 'status'>> };

/*
 * Statuses are a hash, seat id → "<STATUS>:<sequence>". Both scripts give a seat an entry only if
 * its sequence beats the cached one (the rule of PostgreSQL's projection), so a change and a
 * rebuild that read PostgreSQL before that change committed end the same whichever runs second.
 * A change creates the hash if it is missing (expired, invalidated, never built): a rebuild under
 * way then still finds it. The hash lives at least TTL seconds after its last write; the seats do
 * not have their TTL renewed, so every TTL a rebuild compares the statuses with PostgreSQL and
 * repairs any change whose after-commit step was lost.
 *
 * The hash's expiry is also kept in a field of its own (platform's HASH_EXPIRY_LUA: in ms on the
 * writer's clock, read by the change's HMGET), and a change moves it only when it would fall
 * within a TTL, then to two TTLs on: during an on-sale a schedule's changes set it about once per
 * TTL, not once each (issue 10: the EXPIRE was one of a change's five commands). Writers' clocks
 * that disagree by d shorten "at least TTL" by d, for a cache whose TTL is seconds.
 */

const SEQUENCE_OF = `local function sequenceOf(entry)
  if not entry then return nil end
  return tonumber(string.match(entry, ':(%d+)$')) or -1
end
`;

// KEYS: statuses. ARGV: ttl seconds, now ms, then each change as status, sequence, seat count and
// its seat ids. Every seat named is read in one HMGET; a seat named by several changes takes the
// largest sequence that beats its cached one, whatever the order the changes came in.
const APPLY_STATUS_CHANGES = `${SEQUENCE_OF}${HASH_EXPIRY_LUA}
local ttl = 1000 * tonumber(ARGV[1])
local now = tonumber(ARGV[2])
local fields = {'${HASH_EXPIRY_FIELD}'}
local i = 3
while i <= #ARGV do
  for j = i + 3, i + 2 + tonumber(ARGV[i + 2]) do fields[#fields + 1] = ARGV[j] end
  i = i + 3 + tonumber(ARGV[i + 2])
end
local cached = redis.call('HMGET', KEYS[1], unpack(fields))
local best, order, k = {}, {}, 2
i = 3
while i <= #ARGV do
  local status, sequence = ARGV[i], tonumber(ARGV[i + 1])
  for j = i + 3, i + 2 + tonumber(ARGV[i + 2]) do
    local seat = ARGV[j]
    if not best[seat] then
      best[seat] = { sequence = sequenceOf(cached[k]) }
      order[#order + 1] = seat
    end
    local current = best[seat]
    if not current.sequence or current.sequence < sequence then
      current.sequence = sequence
      current.entry = status .. ':' .. ARGV[i + 1]
    end
    k = k + 1
  end
  i = i + 3 + tonumber(ARGV[i + 2])
end
local entries = {}
for _, seat in ipairs(order) do
  if best[seat].entry then
    entries[#entries + 1] = seat
    entries[#entries + 1] = best[seat].entry
  end
end
local changed = #entries / 2
local renew = expiryToSet(entries, cached[1], now, ttl)
if #entries > 0 then redis.call('HSET', KEYS[1], unpack(entries)) end
if renew then redis.call('PEXPIRE', KEYS[1], 2 * ttl) end
return changed
`;

// KEYS: seats, generation, statuses. ARGV: seats JSON, generation read, ttl seconds, now ms, then
// seat id and "<STATUS>:<sequence>" pairs. Stores nothing if the schedule was invalidated since
// the rebuild read its generation. A status read from PostgreSQL replaces a cached one of the
// same or a smaller sequence (same sequence: same change; the row wins if they somehow differ).
const WRITE_IF_CURRENT = `${SEQUENCE_OF}
if (redis.call('GET', KEYS[2]) or '0') ~= ARGV[2] then return 0 end
local cached = {}
local all = redis.call('HGETALL', KEYS[3])
for i = 1, #all, 2 do cached[all[i]] = sequenceOf(all[i + 1]) end
local entries = {'${HASH_EXPIRY_FIELD}', string.format('%d', tonumber(ARGV[4]) + 1000 * tonumber(ARGV[3]))}
for i = 5, #ARGV, 2 do
  local current = cached[ARGV[i]]
  if not current or current <= sequenceOf(ARGV[i + 1]) then
    entries[#entries + 1] = ARGV[i]
    entries[#entries + 1] = ARGV[i + 1]
  end
  -- Lua's unpack is bounded by its C stack (about 8,000 values).
  if #entries >= 1000 then
    redis.call('HSET', KEYS[3], unpack(entries))
    entries = {}
  end
end
if #entries > 0 then redis.call('HSET', KEYS[3], unpack(entries)) end
redis.call('EXPIRE', KEYS[3], ARGV[3])
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[3])
return 1
`;

/** Changes naming more seats than this together are sent in several script calls (each seat is independent). */
const MAX_SEATS_PER_CALL = 1_000;

interface SeatMapScripts {
  /** `changes`: each change's status, sequence, seat count and seat ids, one after the other. */
  seatMapApplyStatusChanges(statusesKey: string, ttl: string, nowMs: string, ...changes: string[]): Promise<number>;
  seatMapWriteIfCurrent(
    seatsKey: string,
    generationKey: string,
    statusesKey: string,
    json: string,
    generation: string,
    ttl: string,
    nowMs: string,
    ...entries: string[]
  ): Promise<number>;
}

/** Parsed seats kept per process; more schedules than this are never on sale at once. */
const MAX_PARSED_MAPS = 500;

const STATUSES: ReadonlySet<string> = new Set(SEAT_STATUSES);
const isSeatStatus = (value: string): value is SeatStatus => STATUSES.has(value);

export function createRedisSeatMapCache(redis: Redis, options: { ttlSeconds: number; logger: Logger }): SeatMapCache {
  // ioredis sends EVALSHA (EVAL once after a script cache flush) and prefixes exactly the keys.
  if (!('seatMapApplyStatusChanges' in redis)) redis.defineCommand('seatMapApplyStatusChanges', { numberOfKeys: 1, lua: APPLY_STATUS_CHANGES });
  if (!('seatMapWriteIfCurrent' in redis)) redis.defineCommand('seatMapWriteIfCurrent', { numberOfKeys: 3, lua: WRITE_IF_CURRENT });
  const scripts = redis as unknown as SeatMapScripts;
  const ttl = String(options.ttlSeconds);

  /*
   * The last parsed seats per schedule, reused while Redis returns the very same JSON: they change
   * only with a rebuild, and comparing strings is far cheaper than parsing (and validating)
   * thousands of seats on every read.
   */
  const parsed = new Map<string, { raw: string; seats: CachedSeats }>();
  const remember = (scheduleId: string, raw: string, seats: CachedSeats) => {
    parsed.delete(scheduleId);
    if (parsed.size >= MAX_PARSED_MAPS) parsed.delete(parsed.keys().next().value!);
    parsed.set(scheduleId, { raw, seats });
  };

  const parseSeats = (scheduleId: string, raw: string): CachedSeats | null => {
    const last = parsed.get(scheduleId);
    if (last?.raw === raw) return last.seats;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      json = undefined;
    }
    const result = cachedSeatsSchema.safeParse(json);
    if (!result.success || result.data.scheduleId !== scheduleId) return null;
    const seats: CachedSeats = { builtAt: new Date(result.data.builtAt), seats: result.data.seats.map((seat) => ({ ...seat, scheduleId })) };
    remember(scheduleId, raw, seats);
    return seats;
  };

  /** The seats with their statuses, or null if any seat lacks a readable one. */
  const withStatuses = (scheduleId: string, cached: CachedSeats, statuses: Record<string, string>): SeatMap | null => {
    const seats: Seat[] = [];
    for (const seat of cached.seats) {
      const entry = statuses[seat.id];
      const status = entry?.slice(0, entry.indexOf(':'));
      if (status === undefined || !isSeatStatus(status)) return null;
      seats.push({ ...seat, status });
    }
    return { scheduleId, builtAt: cached.builtAt, seats };
  };

  return {
    async read(scheduleId) {
      // Two commands, one round trip (auto-pipelining); the statuses are at least as new as the seats.
      const [[raw = null, generation = null], statuses] = await Promise.all([
        redis.mget(seatMapKey(scheduleId), seatMapGenerationKey(scheduleId)),
        redis.hgetall(seatMapStatusesKey(scheduleId)),
      ]);
      const result = { map: null, generation: Number(generation ?? 0) };
      if (raw === null) return result;
      const seats = parseSeats(scheduleId, raw);
      const map = seats && withStatuses(scheduleId, seats, statuses);
      if (!map) {
        // A foreign or outdated format, or statuses lost (evicted): a miss, which the next rebuild repairs.
        options.logger.warn({ scheduleId }, 'unreadable seat map in cache; rebuilding');
        return result;
      }
      return { ...result, map };
    },
    async writeIfCurrent(map, generation) {
      const cached: CachedSeatsJson = {
        scheduleId: map.scheduleId,
        builtAt: map.builtAt.toISOString(),
        seats: map.seats.map(({ id, section, row, number, price }) => ({ id, section, row, number, price })),
      };
      const entries = map.seats.flatMap((seat) => [seat.id, `${seat.status}:${seat.statusSequence}`]);
      const stored = await scripts.seatMapWriteIfCurrent(
        seatMapKey(map.scheduleId),
        seatMapGenerationKey(map.scheduleId),
        seatMapStatusesKey(map.scheduleId),
        JSON.stringify(cached),
        String(generation),
        ttl,
        String(Date.now()),
        ...entries,
      );
      return stored === 1;
    },
    async applyStatusChanges(changes) {
      await Promise.all([...scriptCallsOf(changes)].map(({ scheduleId, args }) => scripts.seatMapApplyStatusChanges(seatMapStatusesKey(scheduleId), ttl, String(Date.now()), ...args)));
    },
    async invalidate(scheduleIds) {
      // Generation keys never expire: a few bytes per schedule, and an expiry could reset a
      // generation in the middle of a rebuild and let it store stale seats.
      await Promise.all(
        scheduleIds.map((scheduleId) =>
          redis.multi().incr(seatMapGenerationKey(scheduleId)).del(seatMapKey(scheduleId), seatMapStatusesKey(scheduleId)).exec(),
        ),
      );
    },
  };
}

/** The script calls for these changes: one per schedule, split where the seats named would pass MAX_SEATS_PER_CALL. */
function* scriptCallsOf(changes: readonly SeatStatusChange[]): Generator<{ scheduleId: string; args: string[] }> {
  const bySchedule = new Map<string, SeatStatusChange[]>();
  for (const change of changes) bySchedule.set(change.scheduleId, [...(bySchedule.get(change.scheduleId) ?? []), change]);
  for (const [scheduleId, ofSchedule] of bySchedule) {
    let args: string[] = [];
    let seats = 0;
    for (const { seatIds, status, sequence } of ofSchedule) {
      for (let from = 0; from < seatIds.length; ) {
        const part = seatIds.slice(from, from + MAX_SEATS_PER_CALL - seats);
        args.push(status, String(sequence), String(part.length), ...part);
        seats += part.length;
        from += part.length;
        if (seats === MAX_SEATS_PER_CALL) {
          yield { scheduleId, args };
          args = [];
          seats = 0;
        }
      }
    }
    if (seats > 0) yield { scheduleId, args };
  }
}
