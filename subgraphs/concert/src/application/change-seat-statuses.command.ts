import type { Seat } from '../domain/catalog';
import { compareSeats } from '../domain/seat-map';
import type { SeatStatusChange } from '../domain/seat-projection';
import type { SeatStatusProjection } from './ports';
import type { SeatNews } from './seat-news';

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
 * PostgreSQL before the commit cannot undo it (SeatMapCache). The news goes out with the other
 * changes committed at the same time (SeatNews).
 */
export function changeSeatStatuses(deps: { news: SeatNews }) {
  return async (change: SeatStatusChange, projection: SeatStatusProjection): Promise<ChangeSeatStatusesResult> => {
    const seats = (await projection.apply(change)).sort(compareSeats);
    if (seats.length === 0) return { kind: 'NothingChanged' };
    return {
      kind: 'SeatStatusesChanged',
      seats,
      afterCommit: () => deps.news({ change: { ...change, seatIds: seats.map((seat) => seat.id) }, seats }),
    };
  };
}
