import type { KnownEvent } from '@ticketing/contracts';

/**
 * What the waiting room keeps of a schedule's sale, as the catalog (concert subgraph) publishes it
 * on the schedule's stream: when it opens, and whether an admin closed it. `version` is the
 * event's position in that stream: the waiting room applies a change only over an older one, so
 * a redelivered or replayed event never takes it back in time.
 */
export interface SaleWindowChange {
  scheduleId: string;
  version: number;
  /** Absent: the opening did not change. */
  opensAt?: Date;
  /** Absent: whether sales are closed did not change. */
  salesClosed?: boolean;
}

/**
 * The change a catalog event makes to the waiting room, or null for one that makes none (seats,
 * prices, a term other than the opening, any event of another stream). Waiting room ids are
 * lower case, as enterQueue writes them.
 */
export function saleWindowChangeOf(event: KnownEvent): SaleWindowChange | null {
  const at = (scheduleId: string) => ({ scheduleId: scheduleId.toLowerCase(), version: event.streamVersion });
  // Not a switch: the catalogue keeps growing, and none of the rest touches the waiting room.
  if (event.type === 'ScheduleCreated') return { ...at(event.payload.scheduleId), opensAt: new Date(event.payload.bookingOpensAt) };
  if (event.type === 'ScheduleChanged') {
    return event.payload.bookingOpensAt ? { ...at(event.payload.scheduleId), opensAt: new Date(event.payload.bookingOpensAt) } : null;
  }
  if (event.type === 'SalesClosed') return { ...at(event.payload.scheduleId), salesClosed: true };
  if (event.type === 'SalesOpened') return { ...at(event.payload.scheduleId), opensAt: new Date(event.payload.bookingOpensAt), salesClosed: false };
  return null;
}
