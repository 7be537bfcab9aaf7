import { estimatedWaitSeconds, positionAfter, type AdmissionPassClaims, type AdmissionRejection } from '@ticketing/contracts';

/**
 * A fan's place in a schedule's waiting room. WAITING (first in the pre-queue without a number,
 * then in line with one) → ACTIVE (admitted: may hold seats until `expiresAt`) → EXPIRED.
 * Time is always an argument: the waiting room reads Redis's clock and passes it in.
 */
export type QueueStatus = 'WAITING' | 'ACTIVE' | 'EXPIRED';

export interface StoredTicket {
  ticketId: string;
  userId: string;
  scheduleId: string;
  /** As last written; `statusAt` is what it is now. */
  status: QueueStatus;
  /** Drawn at the opening shuffle for pre-queue arrivals, at arrival afterwards; never changes. */
  queueNumber: number | null;
  expiresAt: Date | null;
  createdAt: Date;
}

/** The schedule's line, read atomically with the ticket. */
export interface LineState {
  /** Highest queue number admitted so far; only grows. */
  nowServing: number;
  /** What ETAs divide by: the observed admission rate, else the policy's. */
  admitsPerSecond: number;
  paused: boolean;
  /** False until the opening shuffle has drawn a number for everyone in the pre-queue. */
  opened: boolean;
  opensAt: Date | null;
}

/**
 * Invariant: an ACTIVE ticket past its expiry is EXPIRED at once, whether or not an admission
 * tick has marked it yet. Every use checks this; nothing depends on a sweep.
 */
export function statusAt(ticket: Pick<StoredTicket, 'status' | 'expiresAt'>, now: Date): QueueStatus {
  if (ticket.status === 'ACTIVE' && (!ticket.expiresAt || now.getTime() >= ticket.expiresAt.getTime())) return 'EXPIRED';
  return ticket.status;
}

/** What a fan sees of their ticket (the GraphQL QueueTicket). */
export interface QueueTicketView {
  token: string;
  scheduleId: string;
  status: QueueStatus;
  /** 1-based while WAITING with a number; null in the pre-queue and once admitted. */
  position: number | null;
  estimatedWaitSeconds: number | null;
  expiresAt: Date | null;
  queueNumber: number | null;
  nowServing: number;
  opensAt: Date | null;
  /** While ACTIVE: the signed pass booking checks without asking the queue (ADR 0013); null otherwise. */
  admissionPass: string | null;
}

/** Signs an admission pass for the ticket's own fan (issueAdmissionPass with the secret and user bound in). */
export type PassIssuer = (claims: AdmissionPassClaims) => string;

export function viewTicket(token: string, ticket: StoredTicket, line: LineState, now: Date, issuePass: PassIssuer): QueueTicketView {
  const status = statusAt(ticket, now);
  // Admission follows queue numbers strictly, so everyone between nowServing and this number is
  // ahead; nowServing only grows, so a waiting fan's position never goes back.
  const position = status === 'WAITING' && ticket.queueNumber !== null ? positionAfter(ticket.queueNumber, line.nowServing) : null;
  return {
    token,
    scheduleId: ticket.scheduleId,
    status,
    position,
    estimatedWaitSeconds: position === null ? null : estimatedWaitSeconds(position, line.admitsPerSecond, line.paused),
    expiresAt: status === 'WAITING' ? null : ticket.expiresAt,
    queueNumber: ticket.queueNumber,
    nowServing: line.nowServing,
    opensAt: line.opensAt,
    admissionPass:
      status === 'ACTIVE' && ticket.expiresAt ? issuePass({ scheduleId: ticket.scheduleId, ticketId: ticket.ticketId, expiresAt: ticket.expiresAt }) : null,
  };
}

export type AdmissionCheck = { kind: 'Admitted'; ticketId: string; expiresAt: Date } | { kind: 'Rejected'; reason: AdmissionRejection };

/**
 * Does this stored ticket let `userId` book `scheduleId` now? Only an ACTIVE ticket of that
 * user and schedule before its expiry does. (The token's MAC is checked before this.)
 */
export function checkAdmission(ticket: StoredTicket | null, expected: { userId: string; scheduleId: string }, now: Date): AdmissionCheck {
  if (!ticket) return { kind: 'Rejected', reason: 'UNKNOWN' };
  if (ticket.userId !== expected.userId) return { kind: 'Rejected', reason: 'OTHER_USER' };
  if (ticket.scheduleId !== expected.scheduleId) return { kind: 'Rejected', reason: 'OTHER_SCHEDULE' };
  const status = statusAt(ticket, now);
  switch (status) {
    case 'WAITING':
      return { kind: 'Rejected', reason: 'WAITING' };
    case 'EXPIRED':
      return { kind: 'Rejected', reason: 'EXPIRED' };
    case 'ACTIVE':
      return { kind: 'Admitted', ticketId: ticket.ticketId, expiresAt: ticket.expiresAt! };
  }
}
