import { parseEvent, type KnownEvent } from '@ticketing/contracts';
import type { ConsumerSpec } from '@ticketing/messaging';
import type { Logger } from '@ticketing/platform';
import type { retireTicket } from '../../application/retire-ticket.command';
import { pgTicketEventLog, writeTicketEvents, type TicketEventBatch } from '../persistence/pg-queue.outbox';

/** Inbox key and consumer-group suffix of the ticket retirement. */
export const TICKET_RETIREMENT_CONSUMER = 'ticket-retirement';

/**
 * The retirement's pause between fetches (ConsumeOptions.gatherMs). Retiring is off the saga's
 * path: the fan already sees CONFIRMED, and booking itself refuses a hold on a ticket that backs
 * a confirmed booking (ADR 0013). What waits is the freed place in line. So an on-sale's
 * confirmations are retired a pause's worth at a time, in one transaction, instead of one each
 * (issue 10).
 */
export const TICKET_RETIREMENT_GATHER_MS = 50;

/**
 * Retires the queue ticket of every `BookingConfirmed` on `booking.events`; other booking events
 * are acknowledged unread, without a transaction; an unreadable BookingConfirmed is parked on the
 * dead-letter topic.
 *
 * The effect lives in Redis, outside the inbox transaction, so it runs before the commit and is
 * idempotent on its own (its `TicketRetired` is written in the inbox transaction, once per ticket): if the commit fails the event comes back and retiring again changes
 * nothing, whereas retiring after the commit could be lost to a crash in between. The inbox row
 * still spares an ordinary redelivery the Redis round trip.
 */
export function ticketRetirementConsumer(deps: {
  retireTicket: ReturnType<typeof retireTicket>;
  logger: Pick<Logger, 'info' | 'warn'>;
  /** Sees every ticket retired for the first time (metrics). */
  onRetired?: () => void;
}): ConsumerSpec<KnownEvent, TicketEventBatch> {
  return {
    consumer: TICKET_RETIREMENT_CONSUMER,
    from: ['booking'],
    gatherMs: TICKET_RETIREMENT_GATHER_MS,
    parse: parseEvent,
    // The other booking events go unread: at an on-sale they are seven in every eight.
    reads: ['BookingConfirmed'],
    // A batch's TicketRetired events gathered and written in one insert before COMMIT.
    prepare: async (): Promise<TicketEventBatch> => ({ queued: [] }),
    finish: (batch, tx) => writeTicketEvents(tx, batch),
    async handle(event, tx, batch) {
      if (event.type !== 'BookingConfirmed') return;
      const { bookingId, userId, queueTicketId } = event.payload;
      // The waiting room names schedules in lower case, as enterQueue does.
      const scheduleId = event.payload.scheduleId.toLowerCase();
      const result = await deps.retireTicket(
        { scheduleId, ticketId: queueTicketId, userId, bookingId, correlationId: event.correlationId, causationId: event.eventId },
        pgTicketEventLog(tx, batch),
      );
      if (result.kind === 'TicketNotRetired') {
        // Someone else's ticket on a booking means a bug upstream, worth a look; the rest is routine.
        const level = result.reason === 'OTHER_USER' ? 'warn' : 'info';
        deps.logger[level]({ bookingId, scheduleId, ticketId: queueTicketId, reason: result.reason }, 'confirmed booking retired no ticket');
        return;
      }
      if (result.firstTime) deps.onRetired?.();
      return result.afterCommit;
    },
  };
}
