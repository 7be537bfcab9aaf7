import { issueAdmissionPass, type AdmissionRejection } from '@ticketing/contracts';
import { viewTicket, type QueueTicketView } from '../domain/queue-ticket';
import type { WaitingRoom } from './ports';
import { readCallersToken } from './read-queue-token';

export type GetQueueTicketResult = { kind: 'Found'; ticket: QueueTicketView } | { kind: 'TokenInvalid'; reason: AdmissionRejection };

/**
 * The caller's own ticket, live: position, ETA, status against the waiting room's clock. A
 * waiting or expired ticket is an answer here (the fan is looking at it), not a rejection;
 * only a token that is not the caller's, or names no ticket, is refused.
 */
export function getQueueTicket(deps: { room: WaitingRoom; tokenSecret: string; passSecret: string }) {
  return async (userId: string, token: string): Promise<GetQueueTicketResult> => {
    const reading = await readCallersToken(deps, userId, token);
    if (reading.kind === 'Rejected') return { kind: 'TokenInvalid', reason: reading.reason };
    const read = await deps.room.read(reading.claims.scheduleId, reading.claims.ticketId);
    if (!read) return { kind: 'TokenInvalid', reason: 'UNKNOWN' };
    // The MAC already binds user and schedule; a mismatch here would mean a broken store.
    if (read.ticket.userId !== userId || read.ticket.scheduleId !== reading.claims.scheduleId) {
      return { kind: 'TokenInvalid', reason: 'OTHER_USER' };
    }
    return { kind: 'Found', ticket: viewTicket(token, read.ticket, read.line, read.now, (claims) => issueAdmissionPass(deps.passSecret, claims, userId)) };
  };
}
