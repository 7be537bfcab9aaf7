import { canonicalId, isCatalogId, type InvalidInput, type Schedule } from '../domain/catalog';
import { scheduleCreated, type NewSchedule } from '../domain/catalog-events';
import { validateNewSchedule } from '../domain/schedule-terms';
import type { CatalogTransaction } from './ports';
import { commandContext, recordCatalogEvents, type CatalogCommandDeps, type CommandCaller, type CommandContext } from './record-catalog-events';

export type CreateScheduleResult = { kind: 'ScheduleCreated'; schedule: Schedule } | { kind: 'ConcertNotFound' };

/**
 * A new schedule of an existing concert and its `ScheduleCreated` (version 0 of the schedule's
 * stream). The concert is looked up (and locked) first, so a missing one is answered before
 * anything is written; the foreign key stays the fence.
 */
export async function createSchedule(tx: CatalogTransaction, schedule: NewSchedule, context: CommandContext): Promise<CreateScheduleResult> {
  if (!(await tx.lockConcert(schedule.concertId))) return { kind: 'ConcertNotFound' };
  if ((await tx.insertSchedule(schedule)) === 'ConcertNotFound') return { kind: 'ConcertNotFound' };
  await recordCatalogEvents(tx, 'schedule', schedule.id, scheduleCreated(schedule), context);
  return { kind: 'ScheduleCreated', schedule };
}

export interface CreateScheduleRequest {
  startsAt: Date;
  bookingOpensAt: Date;
  maxSeatsPerFan?: number | null;
}

/** An admin adds a performance to a concert: terms validated first, then one transaction. */
export function createScheduleCommand(deps: CatalogCommandDeps) {
  return async (concertId: string, request: CreateScheduleRequest, caller: CommandCaller): Promise<CreateScheduleResult | InvalidInput> => {
    const context = commandContext(deps, caller);
    const valid = validateNewSchedule(request, context.now);
    if (valid.kind !== 'Valid') return valid;
    if (!isCatalogId(concertId)) return { kind: 'ConcertNotFound' };
    const schedule = { id: canonicalId(deps.newId()), concertId: canonicalId(concertId), ...valid.terms };
    return deps.writer.transact((tx) => createSchedule(tx, schedule, context));
  };
}
