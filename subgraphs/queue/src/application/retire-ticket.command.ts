import type { RetireOutcome, RetireRequest, TicketChangePublisher, WaitingRoom } from './ports';

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

/**
 * A confirmed booking retires the waiting-room ticket that admitted it: the fan is done
 * shopping, so the ticket stops admitting and its ACTIVE slot goes to the next fan in line
 * instead of idling until the TTL.
 *
 * A ticket found already retired is announced again: the attempt that retired it may have
 * failed before announcing (its transaction rolled back and the event came back), and a second
 * announcement costs a subscriber nothing.
 */
export function retireTicket(deps: { room: Pick<WaitingRoom, 'retire'>; publisher: TicketChangePublisher }) {
  return async (request: RetireRequest): Promise<RetireTicketResult> => {
    const outcome = await deps.room.retire(request);
    if (outcome.kind === 'NotRetired') return { kind: 'TicketNotRetired', reason: outcome.reason };
    const { queueNumber, retiredAt } = outcome;
    return {
      kind: 'TicketRetired',
      queueNumber,
      retiredAt,
      firstTime: !outcome.alreadyRetired,
      afterCommit: () =>
        deps.publisher.publish({
          scheduleId: request.scheduleId,
          ticketId: request.ticketId,
          queueNumber,
          change: 'RETIRED',
          status: 'EXPIRED',
          at: retiredAt.toISOString(),
        }),
    };
  };
}
