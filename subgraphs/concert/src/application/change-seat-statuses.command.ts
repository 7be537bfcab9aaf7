import type { Seat } from '../domain/catalog';
import { compareSeats } from '../domain/seat-map';
import type { SeatStatusChange } from '../domain/seat-projection';
import type { SeatChangesPublisher, SeatMapCache, SeatStatusProjection } from './ports';

export type ChangeSeatStatusesResult =
  | {
      kind: 'SeatStatusesChanged';
      seats: Seat[];
      /** For the caller to run once the transaction behind `projection` has committed. */
      afterCommit: () => Promise<void>;
    }
  | { kind: 'NothingChanged' };

/**
 * Projects a seat-status change (from the booking subgraph's events) into the catalog, inside the
 * caller's transaction. The cache and the subscribers hear of it only after the commit: a reader
 * rebuilding the seat map between an earlier invalidation and the commit would read the old
 * statuses under the new generation and keep them cached for the whole TTL.
 */
export function changeSeatStatuses(deps: {
  cache: Pick<SeatMapCache, 'invalidate'>;
  publisher: SeatChangesPublisher;
  now?: () => Date;
}) {
  const now = deps.now ?? (() => new Date());
  return async (change: SeatStatusChange, projection: SeatStatusProjection): Promise<ChangeSeatStatusesResult> => {
    const seats = (await projection.apply(change)).sort(compareSeats);
    if (seats.length === 0) return { kind: 'NothingChanged' };
    return {
      kind: 'SeatStatusesChanged',
      seats,
      // Invalidate first: a subscriber that reads the seat map on hearing the news sees it.
      afterCommit: async () => {
        await deps.cache.invalidate([change.scheduleId]);
        await deps.publisher.publish(change.scheduleId, seats, now());
      },
    };
  };
}
