import type { Logger } from '@ticketing/platform';
import type { AdmissionPolicyStore, ScheduleCatalog, TicketRecord, WaitingRoom } from './ports';

/** Tickets per restore step: bounds how long one script blocks Redis. */
const RESTORE_BATCH = 1_000;

export interface RestoreSummary {
  schedules: number;
  restored: number;
  repaired: number;
  numbered: number;
}

/**
 * Puts back into Redis what a crash made it lose (ADR 0011): every ticket issued within the
 * lookback (the longest a ticket can matter: an expired one stays readable a day), its number,
 * admission and retirement, from the durable record; the schedule's opening time from the
 * catalog and its admission policy from PostgreSQL, where the waiting room lost them. Safe to
 * run at any time and from several processes at once: the waiting room only fills in and moves
 * forward. Numbers a restore had to give (a draw lost in both copies) go back into the record.
 */
export function restoreWaitingRooms(deps: {
  room: WaitingRoom;
  record: TicketRecord;
  catalog: ScheduleCatalog;
  policies: Pick<AdmissionPolicyStore, 'find'>;
  lookbackMs: number;
  now: () => Date;
  logger: Pick<Logger, 'info' | 'warn'>;
}) {
  return async (): Promise<RestoreSummary> => {
    const since = new Date(deps.now().getTime() - deps.lookbackMs);
    const scheduleIds = await deps.record.schedulesSince(since);
    const summary: RestoreSummary = { schedules: scheduleIds.length, restored: 0, repaired: 0, numbered: 0 };
    for (const scheduleId of scheduleIds) {
      const schedule = await deps.catalog.find(scheduleId);
      if (schedule) await deps.room.restoreOpensAt(scheduleId, schedule.bookingOpensAt);
      const policy = await deps.policies.find(scheduleId);
      if (policy) await deps.room.applyPolicy(policy);
      const totals = await deps.record.totalsOf(scheduleId);
      const tickets = await deps.record.ticketsOf(scheduleId, since);
      for (let start = 0; start < tickets.length; start += RESTORE_BATCH) {
        const result = await deps.room.restore(scheduleId, tickets.slice(start, start + RESTORE_BATCH), totals);
        if (result.numbered.length > 0) {
          await deps.record.numbered(scheduleId, result.numbered);
          totals.highestNumber = Math.max(totals.highestNumber, ...result.numbered.map((t) => t.queueNumber));
        }
        summary.restored += result.restored;
        summary.repaired += result.repaired;
        summary.numbered += result.numbered.length;
      }
    }
    deps.logger.info({ ...summary, since }, 'waiting rooms restored from the durable record');
    return summary;
  };
}
