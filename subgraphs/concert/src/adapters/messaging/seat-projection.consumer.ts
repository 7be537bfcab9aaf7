import { parseEvent, type KnownEvent } from '@ticketing/contracts';
import type { ConsumerSpec } from '@ticketing/messaging';
import type { changeSeatStatuses } from '../../application/change-seat-statuses.command';
import { seatStatusChangeFor, type SeatStatusChange } from '../../domain/seat-projection';
import type { Seat } from '../../domain/catalog';
import { applySeatChanges, createPgSeatStatusProjection } from '../persistence/pg-seat-status.projection';

/** Inbox key and consumer-group suffix of the seat projection. */
export const SEAT_PROJECTION_CONSUMER = 'seat-projection';

/**
 * The projection's pause between fetches (ConsumeOptions.gatherMs). It is off the saga's path (a
 * hold is decided by booking's locks and claim index, never by this map), so an on-sale's stream
 * of holds and confirmations is applied a pause's worth at a time, in one transaction, instead of
 * one or two events each (issue 10). A fan's seat map may show a seat free up to this much longer.
 */
export const SEAT_PROJECTION_GATHER_MS = 50;

/**
 * Follows `booking.events` and `seat-block.events` into the catalog's seat statuses. Every event is parsed through the
 * contracts (anything unreadable is parked on the dead-letter topic); events that move no seat
 * (PaymentRequested, RefundRequested) are acknowledged without a transaction.
 */
export function seatProjectionConsumer(deps: { changeSeatStatuses: ReturnType<typeof changeSeatStatuses> }): ConsumerSpec<KnownEvent, Map<string, Seat[]>> {
  return {
    consumer: SEAT_PROJECTION_CONSUMER,
    // seat-block.events: admins' blocks, the same seat fence and sequence as the booking events.
    from: ['booking', 'seat-block'],
    gatherMs: SEAT_PROJECTION_GATHER_MS,
    parse: parseEvent,
    acts: (event) => seatStatusChangeFor(event) !== null,
    // A batch's changes in one statement before its handlers (each handler then takes its own
    // answer, by event id): a change was a statement each, one after another.
    async prepare(events, tx): Promise<Map<string, Seat[]>> {
      // By event id, as the inbox spells it: the same event twice in one fetch is one change (its second copy is not handled).
      const changes = new Map<string, SeatStatusChange>();
      for (const event of events) {
        const change = seatStatusChangeFor(event);
        if (change) changes.set(event.eventId.toLowerCase(), change);
      }
      const taken = await applySeatChanges(tx, [...changes.values()]);
      return new Map([...changes.keys()].map((eventId, i) => [eventId, taken[i]!]));
    },
    async handle(event, tx, appliedAhead) {
      const change = seatStatusChangeFor(event);
      if (!change) return;
      const ahead = appliedAhead?.get(event.eventId.toLowerCase());
      const result = await deps.changeSeatStatuses(change, createPgSeatStatusProjection(tx, ahead));
      return result.kind === 'SeatStatusesChanged' ? result.afterCommit : undefined;
    },
  };
}
