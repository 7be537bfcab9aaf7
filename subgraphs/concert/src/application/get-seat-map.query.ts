import { buildSeatMap, type SeatMap } from '../domain/seat-map';
import type { CatalogStore, RebuiltSeatMap, SeatMapCache, SeatMapRebuildLock } from './ports';

/** Where an answer came from; the composition root turns these into metrics. */
export type SeatMapSource = 'cache' | 'rebuild' | 'waited' | 'fallback';

export interface SeatMapDeps {
  store: Pick<CatalogStore, 'findSeatsOfSchedule'>;
  cache: Pick<SeatMapCache, 'read' | 'writeIfCurrent'>;
  lock: SeatMapRebuildLock;
  /** How often a caller that lost the rebuild race looks at the cache again, and for how long. */
  pollIntervalMs?: number;
  maxWaitMs?: number;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  observe?: (source: SeatMapSource) => void;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Read-through seat maps that survive an on-sale stampede. Status changes update the cached map
 * in place (changeSeatStatuses), so a rebuild is needed only for a cold or expired map or after
 * seats or prices changed. On a cache miss exactly one caller across all instances (the lock
 * holder) reads PostgreSQL and fills the cache; the others poll the cache briefly and read
 * PostgreSQL themselves only if that rebuild does not show up in time. Within one process,
 * concurrent reads of one schedule also share a single promise.
 */
export function getSeatMap(deps: SeatMapDeps) {
  const pollIntervalMs = deps.pollIntervalMs ?? 20;
  const maxWaitMs = deps.maxWaitMs ?? 2_000;
  const now = deps.now ?? (() => new Date());
  const sleep = deps.sleep ?? defaultSleep;
  const observe = deps.observe ?? (() => undefined);
  const inFlight = new Map<string, Promise<SeatMap>>();

  const fromDatabase = async (scheduleId: string): Promise<RebuiltSeatMap> =>
    buildSeatMap(scheduleId, await deps.store.findSeatsOfSchedule(scheduleId), now());
  // The sequences are the cache's business; readers get plain seats.
  const served = (map: RebuiltSeatMap): SeatMap => ({ ...map, seats: map.seats.map(({ statusSequence: _cacheOnly, ...seat }) => seat) });

  const waitForRebuild = async (scheduleId: string): Promise<SeatMap | null> => {
    for (let waited = 0; waited < maxWaitMs; waited += pollIntervalMs) {
      await sleep(pollIntervalMs);
      const { map } = await deps.cache.read(scheduleId);
      if (map) return map;
    }
    return null;
  };

  const read = async (scheduleId: string): Promise<SeatMap> => {
    const cached = await deps.cache.read(scheduleId);
    if (cached.map) {
      observe('cache');
      return cached.map;
    }
    const release = await deps.lock.tryAcquire(scheduleId);
    if (release) {
      try {
        // The previous holder may have filled the cache between our miss and our lock.
        const again = await deps.cache.read(scheduleId);
        if (again.map) {
          observe('cache');
          return again.map;
        }
        const map = await fromDatabase(scheduleId);
        await deps.cache.writeIfCurrent(map, again.generation);
        observe('rebuild');
        return served(map);
      } finally {
        await release();
      }
    }
    const rebuilt = await waitForRebuild(scheduleId);
    if (rebuilt) {
      observe('waited');
      return rebuilt;
    }
    // The holder is slow or gone: answer from PostgreSQL, but leave the cache to the next holder.
    observe('fallback');
    return served(await fromDatabase(scheduleId));
  };

  return (scheduleId: string): Promise<SeatMap> => {
    let pending = inFlight.get(scheduleId);
    if (!pending) {
      pending = read(scheduleId).finally(() => inFlight.delete(scheduleId));
      inFlight.set(scheduleId, pending);
    }
    return pending;
  };
}
