import { parseEvent, type KnownEvent } from '@ticketing/contracts';
import type { ConsumerSpec } from '@ticketing/messaging';
import type { changeSeatStatuses } from '../../application/change-seat-statuses.command';
import { seatStatusChangeFor } from '../../domain/seat-projection';
import { createPgSeatStatusProjection } from '../persistence/pg-seat-status.projection';

/** Inbox key and consumer-group suffix of the seat projection. */
export const SEAT_PROJECTION_CONSUMER = 'seat-projection';

/**
 * Follows `booking.events` and `seat-block.events` into the catalog's seat statuses. Every event is parsed through the
 * contracts (anything unreadable is parked on the dead-letter topic); events that move no seat
 * (PaymentRequested, RefundRequested) are acknowledged without a transaction.
 */
export function seatProjectionConsumer(deps: { changeSeatStatuses: ReturnType<typeof changeSeatStatuses> }): ConsumerSpec<KnownEvent> {
  return {
    consumer: SEAT_PROJECTION_CONSUMER,
    // seat-block.events: admins' blocks, the same seat fence and sequence as the booking events.
    from: ['booking', 'seat-block'],
    parse: parseEvent,
    acts: (event) => seatStatusChangeFor(event) !== null,
    async handle(event, tx) {
      const change = seatStatusChangeFor(event);
      if (!change) return;
      const result = await deps.changeSeatStatuses(change, createPgSeatStatusProjection(tx));
      return result.kind === 'SeatStatusesChanged' ? result.afterCommit : undefined;
    },
  };
}
