import { canonicalId, isCatalogId, type SeatStatus } from '../domain/catalog';
import type { CatalogStore, SeatMapCache } from './ports';

export interface SeatStatusChange {
  scheduleId: string;
  seatIds: readonly string[];
  status: SeatStatus;
}

export type ChangeSeatStatusesResult = { kind: 'SeatStatusesChanged'; changed: number };

/**
 * Projects a seat-status change (from the booking subgraph's events) into the catalog.
 * PostgreSQL first, then the cache: a reader that rebuilds in between already sees the new
 * statuses, and the invalidation stops a rebuild that read the old ones from being stored.
 */
export function changeSeatStatuses(deps: { store: Pick<CatalogStore, 'setSeatStatuses'>; cache: SeatMapCache }) {
  return async (change: SeatStatusChange): Promise<ChangeSeatStatusesResult> => {
    if (!isCatalogId(change.scheduleId)) return { kind: 'SeatStatusesChanged', changed: 0 };
    const scheduleId = canonicalId(change.scheduleId);
    const seatIds = [...new Set(change.seatIds.filter(isCatalogId).map(canonicalId))];
    const changed = seatIds.length > 0 ? await deps.store.setSeatStatuses(scheduleId, seatIds, change.status) : 0;
    if (changed > 0) await deps.cache.invalidate([scheduleId]);
    return { kind: 'SeatStatusesChanged', changed };
  };
}
