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
 * caller's transaction. The cache and the subscribers hear of it only after the commit, so the
 * cache never shows a status that could still roll back. The cached map takes the change in
 * place, for the seats that took it here, by the same sequence rule; a rebuild that read
 * PostgreSQL before the commit cannot undo it (SeatMapCache).
 */
export function changeSeatStatuses(deps: {
  cache: Pick<SeatMapCache, 'applyStatusChange'>;
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
      // The cache first, so a subscriber that reads the seat map on hearing the news sees it; both
      // sent at once rather than the news after the cache's answer: on one Redis connection (see
      // SeatChangesPublisher) they go out in one write and Redis runs them in the order sent.
      afterCommit: async () => {
        await Promise.all([deps.cache.applyStatusChange({ ...change, seatIds: seats.map((seat) => seat.id) }), deps.publisher.publish(change.scheduleId, seats, now())]);
      },
    };
  };
}
