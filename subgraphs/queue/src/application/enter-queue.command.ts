import { issueAdmissionPass } from '@ticketing/contracts';
import { parseScheduleId } from '../domain/admission-policy';
import { viewTicket, type QueueTicketView } from '../domain/queue-ticket';
import { issueQueueToken } from '../domain/queue-token';
import type { ScheduleCatalog, TicketRecord, WaitingRoom } from './ports';

export type EnterQueueResult =
  | { kind: 'Entered'; ticket: QueueTicketView; created: boolean }
  | { kind: 'InvalidScheduleId' }
  | { kind: 'ScheduleNotFound' }
  /** An admin closed the schedule's sales (the catalog's SalesClosed): no new tickets until they reopen. */
  | { kind: 'SalesClosed' };

/**
 * A fan joins a schedule's waiting room. Idempotent per (fan, schedule): tabs, retries and
 * concurrent calls all get the same ticket and token, because the waiting room decides
 * atomically; the fresh ticket id offered here is simply unused when a ticket exists. Whether
 * sales are closed is the waiting room's to say (it follows the catalog's events, which are newer
 * than this process's cached read of the schedule): a fan already in line keeps their ticket.
 *
 * The ticket is in the durable record before the fan holds its token: Redis may lose its last
 * second in a crash, and a fan told a place must find it there afterwards (ADR 0011). Recorded on
 * every call, not only the first: a retry after a failed write records it then.
 */
export function enterQueue(deps: { catalog: ScheduleCatalog; room: WaitingRoom; record: Pick<TicketRecord, 'issued'>; tokenSecret: string; passSecret: string; newTicketId: () => string }) {
  return async (userId: string, scheduleIdInput: string): Promise<EnterQueueResult> => {
    const scheduleId = parseScheduleId(scheduleIdInput);
    if (!scheduleId) return { kind: 'InvalidScheduleId' };
    const schedule = await deps.catalog.find(scheduleId);
    if (!schedule) return { kind: 'ScheduleNotFound' };
    const entered = await deps.room.enter({
      scheduleId,
      userId,
      newTicketId: deps.newTicketId(),
      opensAt: schedule.bookingOpensAt,
    });
    if (entered.kind === 'SalesClosed') return entered;
    const { ticket, line, now, created } = entered;
    await deps.record.issued({ ticketId: ticket.ticketId, scheduleId, userId, enteredAt: ticket.createdAt, queueNumber: ticket.queueNumber });
    const token = issueQueueToken(deps.tokenSecret, { scheduleId, ticketId: ticket.ticketId }, userId);
    return { kind: 'Entered', ticket: viewTicket(token, ticket, line, now, (claims) => issueAdmissionPass(deps.passSecret, claims, userId)), created };
  };
}
