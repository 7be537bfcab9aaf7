import type { AdmissionVerdict, AdmissionVerifyRequest } from '@ticketing/contracts';
import { parseScheduleId } from '../domain/admission-policy';
import { checkAdmission } from '../domain/queue-ticket';
import type { WaitingRoom } from './ports';
import { readCallersToken } from './read-queue-token';

/**
 * May this fan book this schedule now? Asked by the booking subgraph on every seat hold, so an
 * expired ticket is refused the moment its time is up, whether or not a tick has noticed.
 */
export function verifyAdmission(deps: { room: WaitingRoom; tokenSecret: string }) {
  return async (userId: string, request: AdmissionVerifyRequest): Promise<AdmissionVerdict> => {
    const reading = await readCallersToken(deps, userId, request.token);
    if (reading.kind === 'Rejected') return { valid: false, reason: reading.reason };
    if (parseScheduleId(request.scheduleId) !== reading.claims.scheduleId) return { valid: false, reason: 'OTHER_SCHEDULE' };
    const read = await deps.room.readTicket(reading.claims.scheduleId, reading.claims.ticketId);
    if (!read) return { valid: false, reason: 'UNKNOWN' };
    const check = checkAdmission(read.ticket, { userId, scheduleId: reading.claims.scheduleId }, read.now);
    return check.kind === 'Admitted'
      ? { valid: true, ticketId: check.ticketId, expiresAt: check.expiresAt.toISOString() }
      : { valid: false, reason: check.reason };
  };
}
