import type { KnownEvent } from '@ticketing/contracts';
import { saleWindowChangeOf } from '../domain/sale-window';
import type { WaitingRoom } from './ports';

export type FollowSaleWindowResult = 'Applied' | 'Stale' | 'Ignored';

/**
 * The waiting room follows its schedule's sale from the catalog's own events: a moved opening
 * (updateSchedule, openSales) moves the opening draw, also for fans already in the pre-queue, and
 * a close stops arrivals and admissions until the next open. Before this, the opening reached the
 * room only with the next arrival's cached read of the catalog, so a pre-queue with no new arrival
 * kept the old time. Idempotent by stream version, so it needs no inbox of its own to be safe.
 */
export function followSaleWindow(deps: { room: Pick<WaitingRoom, 'applySaleWindow'> }) {
  return async (event: KnownEvent): Promise<FollowSaleWindowResult> => {
    const change = saleWindowChangeOf(event);
    if (!change) return 'Ignored';
    return (await deps.room.applySaleWindow(change)) ? 'Applied' : 'Stale';
  };
}
