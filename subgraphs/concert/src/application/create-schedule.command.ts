import { scheduleCreated, type NewSchedule } from '../domain/catalog-events';
import type { CatalogTransaction } from './ports';
import { recordCatalogEvents, type CommandContext } from './record-catalog-events';

export type CreateScheduleResult = { kind: 'ScheduleCreated'; scheduleId: string } | { kind: 'ConcertNotFound' };

/** A new schedule of an existing concert and its `ScheduleCreated` (version 0 of the schedule's stream). */
export async function createSchedule(tx: CatalogTransaction, schedule: NewSchedule, context: CommandContext): Promise<CreateScheduleResult> {
  if ((await tx.insertSchedule(schedule)) === 'ConcertNotFound') return { kind: 'ConcertNotFound' };
  await recordCatalogEvents(tx, 'schedule', schedule.id, scheduleCreated(schedule), context);
  return { kind: 'ScheduleCreated', scheduleId: schedule.id };
}
