import { isAdmissionPass, readAdmissionPass } from '@ticketing/contracts';
import type { AdmissionChecker } from '../../application/ports';

/** Which way a hold's admission was checked: by its pass here, or by asking the waiting room. */
export type AdmissionCheckedVia = 'pass' | 'queue';

/**
 * Checks an admission pass (ADR 0013) in this process: its MAC with ADMISSION_PASS_SECRET, its
 * schedule and its expiry against this process's clock, no request and no Redis. A queue token
 * sent instead goes to `otherwise` (the waiting room's own check), so a client that never reads
 * passes keeps working. What a pass cannot say, that its ticket's booking was already sold, the
 * hold's own statement checks (pg-booking.writer: TicketRetired).
 */
export function createAdmissionPassChecker(options: {
  secret: string;
  otherwise: AdmissionChecker;
  now?: () => Date;
  onChecked?: (via: AdmissionCheckedVia) => void;
}): AdmissionChecker {
  const now = options.now ?? (() => new Date());
  return {
    async check(input) {
      if (!isAdmissionPass(input.token)) {
        options.onChecked?.('queue');
        return options.otherwise.check(input);
      }
      options.onChecked?.('pass');
      const reading = readAdmissionPass(options.secret, input.token, { userId: input.userId, scheduleId: input.scheduleId, now: now() });
      return reading.kind === 'Admitted'
        ? { admitted: true, ticketId: reading.ticketId, expiresAt: reading.expiresAt }
        : { admitted: false, reason: reading.reason };
    },
  };
}
