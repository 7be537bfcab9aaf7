import { estimatedWaitSeconds, positionAfter, type QueueProgress, type QueueTicketChanged } from '@ticketing/contracts';

/** The ticket as the queue subgraph answers `queueTicket(token)`; the subscription's payload. */
export interface QueueTicketView {
  token: string;
  scheduleId: string;
  status: 'WAITING' | 'ACTIVE' | 'EXPIRED';
  position: number | null;
  estimatedWaitSeconds: number | null;
  expiresAt: string | null;
  queueNumber: number | null;
  nowServing: number;
  opensAt: string | null;
  /** Signed by the queue for an ACTIVE ticket; only the queue can issue it, so an admission seen here carries none until re-read. */
  admissionPass: string | null;
}

/** Every QueueTicket field, fetched once per subscription; the payload must answer any selection. */
export const QUEUE_TICKET_FIELDS = 'token scheduleId status position estimatedWaitSeconds expiresAt queueNumber nowServing opensAt admissionPass';

export type Advance =
  | { kind: 'unchanged' }
  | { kind: 'changed'; ticket: QueueTicketView }
  /**
   * Only the queue knows: the number a pre-queue ticket was drawn at opening, what happened to a
   * ticket the line has passed without this subscriber seeing its admission (a missed message), or
   * the state of a ticket the queue announced a change of.
   */
  | { kind: 'refetch' };

/**
 * Pure: the ticket after one progress broadcast of its schedule. Positions only move forward
 * (nowServing never decreases); admission is recognised by the ticket's queue number.
 */
export function advanceTicket(ticket: QueueTicketView, progress: QueueProgress): Advance {
  if (ticket.status !== 'WAITING') return { kind: 'unchanged' };
  if (ticket.queueNumber === null) return progress.preQueue ? { kind: 'unchanged' } : { kind: 'refetch' };
  const admission = progress.admitted.find((entry) => entry.queueNumber === ticket.queueNumber);
  const nowServing = Math.max(ticket.nowServing, progress.nowServing);
  if (!admission && nowServing >= ticket.queueNumber) return { kind: 'refetch' };
  if (admission) {
    return {
      kind: 'changed',
      ticket: { ...ticket, status: 'ACTIVE', position: null, estimatedWaitSeconds: null, expiresAt: admission.expiresAt, nowServing },
    };
  }
  const position = Math.min(ticket.position ?? Number.POSITIVE_INFINITY, positionAfter(ticket.queueNumber, nowServing));
  const eta = estimatedWaitSeconds(position, progress.admitsPerSecond, progress.paused);
  if (position === ticket.position && eta === ticket.estimatedWaitSeconds && nowServing === ticket.nowServing) {
    return { kind: 'unchanged' };
  }
  return { kind: 'changed', ticket: { ...ticket, position, estimatedWaitSeconds: eta, nowServing } };
}

/** Pure: an ACTIVE ticket past its expiry is EXPIRED, whether or not a tick has said so yet. */
export function expireIfDue(ticket: QueueTicketView, now: Date): QueueTicketView | null {
  if (ticket.status !== 'ACTIVE' || !ticket.expiresAt || Date.parse(ticket.expiresAt) > now.getTime()) return null;
  return { ...ticket, status: 'EXPIRED', position: null, estimatedWaitSeconds: null, admissionPass: null };
}

/**
 * Pure: what a change announced on the schedule's ticket channel means for this ticket. The
 * message is only a hint, recognised by queue number as admissions are: the new state is the
 * queue's answer to a re-read with the subscriber's token, never the message itself.
 */
export function afterTicketChanged(ticket: QueueTicketView, change: QueueTicketChanged): Advance {
  if (ticket.status === 'EXPIRED' || ticket.scheduleId !== change.scheduleId || ticket.queueNumber !== change.queueNumber) {
    return { kind: 'unchanged' };
  }
  return { kind: 'refetch' };
}
