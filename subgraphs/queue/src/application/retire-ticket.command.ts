import { ticketRetired } from '../domain/queue-events';
import type { RetireOutcome, RetireRequest, TicketChangePublisher, TicketEventLog, WaitingRoom } from './ports';
import { stampTicketEvents } from './stamp-ticket-events';

export type RetireTicketResult =
  | {
      kind: 'TicketRetired';
      queueNumber: number;
      retiredAt: Date;
      /** False when an earlier attempt had already retired it (a redelivery). */
      firstTime: boolean;
      /** Tells the ticket's subscribers; for the caller to run once its transaction has committed. */
      afterCommit: () => Promise<void>;
    }
  | { kind: 'TicketNotRetired'; reason: Extract<RetireOutcome, { kind: 'NotRetired' }>['reason'] };

export interface RetireTicketCommand extends RetireRequest {
  /** The confirmed booking that retires it, and the event that said so (correlation and causation). */
  bookingId: string;
  correlationId: string;
  causationId: string;
}

/**
 * A confirmed booking retires the waiting-room ticket that admitted it: the fan is done
 * shopping, so the ticket stops admitting and its ACTIVE slot goes to the next fan in line
 * instead of idling until the TTL.
 *
 * A ticket found already retired is announced again: the attempt that retired it may have
 * failed before announcing (its transaction rolled back and the event came back), and a second
 * announcement costs a subscriber nothing. Its `TicketRetired` is written through `events` (the
 * caller's transaction) unless the ticket's stream already holds it, for the same reason: the
 * retirement in Redis survives a rolled-back attempt, its event does not.
 */
export function retireTicket(deps: { room: Pick<WaitingRoom, 'retire'>; publisher: TicketChangePublisher; newId: () => string }) {
  return async (command: RetireTicketCommand, events: TicketEventLog): Promise<RetireTicketResult> => {
    const { scheduleId, ticketId, userId, bookingId } = command;
    const outcome = await deps.room.retire({ scheduleId, ticketId, userId });
    if (outcome.kind === 'NotRetired') return { kind: 'TicketNotRetired', reason: outcome.reason };
    const { queueNumber, retiredAt } = outcome;
    const retired = ticketRetired({ scheduleId, ticketId, userId, bookingId, queueNumber, retiredAt });
    await events.appendUnlessWritten(
      stampTicketEvents([retired], { now: retiredAt, correlationId: () => command.correlationId, causationId: command.causationId, newId: deps.newId }),
    );
    return {
      kind: 'TicketRetired',
      queueNumber,
      retiredAt,
      firstTime: !outcome.alreadyRetired,
      afterCommit: () =>
        deps.publisher.publish({ scheduleId, ticketId, queueNumber, change: 'RETIRED', status: 'EXPIRED', at: retiredAt.toISOString() }),
    };
  };
}
