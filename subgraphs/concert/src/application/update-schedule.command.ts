import { canonicalId, isCatalogId, type InvalidInput, type Schedule } from '../domain/catalog';
import { changeSchedule, validateScheduleChange } from '../domain/schedule-terms';
import { commandContext, recordCatalogEvents, type CatalogCommandDeps, type CommandCaller } from './record-catalog-events';

export type UpdateScheduleResult =
  | { kind: 'ScheduleChanged'; schedule: Schedule }
  | { kind: 'ScheduleUnchanged'; schedule: Schedule }
  | { kind: 'ScheduleNotFound' }
  | InvalidInput;

export interface UpdateScheduleRequest {
  startsAt?: Date | null;
  bookingOpensAt?: Date | null;
  maxSeatsPerFan?: number | null;
}

/**
 * An admin moves a schedule's times or its per-fan cap. The change is decided against the
 * locked row (the merged times must stay in order), so it cannot interleave with another edit
 * or a batch of seats; `ScheduleChanged` carries only what really changed, and nothing is
 * written when nothing did. Other subgraphs that cache the terms see the change within their TTL.
 */
export function updateScheduleCommand(deps: CatalogCommandDeps) {
  return async (scheduleId: string, request: UpdateScheduleRequest, caller: CommandCaller): Promise<UpdateScheduleResult> => {
    const valid = validateScheduleChange(request);
    if (valid.kind !== 'Valid') return valid;
    if (!isCatalogId(scheduleId)) return { kind: 'ScheduleNotFound' };
    const context = commandContext(deps, caller);
    return deps.writer.transact(async (tx): Promise<UpdateScheduleResult> => {
      const current = await tx.lockSchedule(canonicalId(scheduleId));
      if (!current) return { kind: 'ScheduleNotFound' };
      const outcome = changeSchedule(current, valid.change, context.now);
      if (outcome.kind !== 'ScheduleChanged') return outcome;
      await tx.updateSchedule(outcome.schedule);
      await recordCatalogEvents(tx, 'schedule', current.id, outcome.events, context);
      return { kind: 'ScheduleChanged', schedule: outcome.schedule };
    });
  };
}
