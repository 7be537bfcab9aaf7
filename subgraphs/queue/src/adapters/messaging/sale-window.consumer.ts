import { parseEvent, type KnownEvent } from '@ticketing/contracts';
import type { ConsumerSpec } from '@ticketing/messaging';
import type { Logger } from '@ticketing/platform';
import type { followSaleWindow } from '../../application/follow-sale-window.reaction';

/** Inbox key and consumer-group suffix of the waiting room's view of the catalog. */
export const SALE_WINDOW_CONSUMER = 'sale-window';

/**
 * Follows `schedule.events` (ScheduleCreated, ScheduleChanged with a new bookingOpensAt,
 * SalesClosed, SalesOpened) into the waiting rooms; other schedule events are recorded in the
 * inbox and otherwise ignored, unreadable ones parked on the dead-letter topic. The effect is in
 * Redis, before the inbox commit, and guarded by the stream version, so a redelivery is harmless.
 */
export function saleWindowConsumer(deps: { followSaleWindow: ReturnType<typeof followSaleWindow>; logger: Pick<Logger, 'info'> }): ConsumerSpec<KnownEvent> {
  return {
    consumer: SALE_WINDOW_CONSUMER,
    from: ['schedule'],
    parse: parseEvent,
    async handle(event) {
      const result = await deps.followSaleWindow(event);
      if (result !== 'Ignored') deps.logger.info({ scheduleId: event.stream.id, type: event.type, streamVersion: event.streamVersion, result }, 'catalog change applied to the waiting room');
    },
  };
}
