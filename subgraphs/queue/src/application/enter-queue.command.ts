import { parseScheduleId } from '../domain/admission-policy';
import { viewTicket, type QueueTicketView } from '../domain/queue-ticket';
import { issueQueueToken } from '../domain/queue-token';
import type { ScheduleCatalog, WaitingRoom } from './ports';

export type EnterQueueResult =
  | { kind: 'Entered'; ticket: QueueTicketView; created: boolean }
  | { kind: 'InvalidScheduleId' }
  | { kind: 'ScheduleNotFound' };

/**
 * A fan joins a schedule's waiting room. Idempotent per (fan, schedule): tabs, retries and
 * concurrent calls all get the same ticket and token, because the waiting room decides
 * atomically; the fresh ticket id offered here is simply unused when a ticket exists.
 */
export function enterQueue(deps: { catalog: ScheduleCatalog; room: WaitingRoom; tokenSecret: string; newTicketId: () => string }) {
  return async (userId: string, scheduleIdInput: string): Promise<EnterQueueResult> => {
    const scheduleId = parseScheduleId(scheduleIdInput);
    if (!scheduleId) return { kind: 'InvalidScheduleId' };
    const schedule = await deps.catalog.find(scheduleId);
    if (!schedule) return { kind: 'ScheduleNotFound' };
    const { ticket, line, now, created } = await deps.room.enter({
      scheduleId,
      userId,
      newTicketId: deps.newTicketId(),
      opensAt: schedule.bookingOpensAt,
    });
    const token = issueQueueToken(deps.tokenSecret, { scheduleId, ticketId: ticket.ticketId }, userId);
    return { kind: 'Entered', ticket: viewTicket(token, ticket, line, now), created };
  };
}
