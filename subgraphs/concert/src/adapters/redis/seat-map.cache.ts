import { z } from 'zod';
import type { Logger, Redis } from '@ticketing/platform';
import type { SeatMapCache } from '../../application/ports';
import { SEAT_STATUSES } from '../../domain/catalog';
import type { SeatMap } from '../../domain/seat-map';

/*
 * Keys carry the schedule id as a Redis Cluster hash tag, so a schedule's map and generation
 * live in one slot (MGET and the write script stay single-slot). The deployment's key prefix
 * (REDIS_KEY_PREFIX) is added by the client in front of these.
 */
export const seatMapKey = (scheduleId: string) => `seatmap:{${scheduleId}}`;
export const seatMapGenerationKey = (scheduleId: string) => `seatmap:{${scheduleId}}:generation`;

/** The cached form: the schedule id once, not on every seat. */
const cachedSeatMapSchema = z.object({
  scheduleId: z.string(),
  builtAt: z.iso.datetime(),
  seats: z.array(
    z.object({
      id: z.string(),
      section: z.string(),
      row: z.string(),
      number: z.number().int(),
      price: z.number().int(),
      status: z.enum(SEAT_STATUSES),
    }),
  ),
});
type CachedSeatMapJson = z.infer<typeof cachedSeatMapSchema>;

// Stores the map only if nobody invalidated the schedule since the rebuild read its generation.
const WRITE_IF_CURRENT = `
if (redis.call('GET', KEYS[2]) or '0') ~= ARGV[2] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[3])
return 1
`;

/** Parsed maps kept per process; more schedules than this are never on sale at once. */
const MAX_PARSED_MAPS = 500;

export function createRedisSeatMapCache(redis: Redis, options: { ttlSeconds: number; logger: Logger }): SeatMapCache {
  /*
   * The last parsed map per schedule, reused while Redis returns the very same JSON: during an
   * on-sale every request reads the same map, and comparing strings is far cheaper than parsing
   * (and validating) thousands of seats each time. Always as fresh as Redis itself.
   */
  const parsed = new Map<string, { raw: string; map: SeatMap }>();
  const remember = (scheduleId: string, raw: string, map: SeatMap) => {
    parsed.delete(scheduleId);
    if (parsed.size >= MAX_PARSED_MAPS) parsed.delete(parsed.keys().next().value!);
    parsed.set(scheduleId, { raw, map });
  };

  const parse = (scheduleId: string, raw: string | null): SeatMap | null => {
    if (raw === null) return null;
    const last = parsed.get(scheduleId);
    if (last?.raw === raw) return last.map;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      json = undefined;
    }
    const result = cachedSeatMapSchema.safeParse(json);
    if (!result.success || result.data.scheduleId !== scheduleId) {
      // A foreign or outdated format is a miss: the next rebuild overwrites it.
      options.logger.warn({ scheduleId }, 'unreadable seat map in cache; rebuilding');
      return null;
    }
    const map: SeatMap = {
      scheduleId,
      builtAt: new Date(result.data.builtAt),
      seats: result.data.seats.map((seat) => ({ ...seat, scheduleId })),
    };
    remember(scheduleId, raw, map);
    return map;
  };

  return {
    async read(scheduleId) {
      const [raw = null, generation = null] = await redis.mget(seatMapKey(scheduleId), seatMapGenerationKey(scheduleId));
      return { map: parse(scheduleId, raw), generation: Number(generation ?? 0) };
    },
    async writeIfCurrent(map, generation) {
      const cached: CachedSeatMapJson = {
        scheduleId: map.scheduleId,
        builtAt: map.builtAt.toISOString(),
        seats: map.seats.map(({ scheduleId: _implied, ...seat }) => seat),
      };
      const stored = await redis.eval(
        WRITE_IF_CURRENT,
        2,
        seatMapKey(map.scheduleId),
        seatMapGenerationKey(map.scheduleId),
        JSON.stringify(cached),
        String(generation),
        String(options.ttlSeconds),
      );
      return stored === 1;
    },
    async invalidate(scheduleIds) {
      // Generation keys never expire: a few bytes per schedule, and an expiry could reset a
      // generation in the middle of a rebuild and let it store stale seats.
      await Promise.all(
        scheduleIds.map((scheduleId) =>
          redis.multi().incr(seatMapGenerationKey(scheduleId)).del(seatMapKey(scheduleId)).exec(),
        ),
      );
    },
  };
}
