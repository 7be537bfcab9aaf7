import { canonicalId, isCatalogId, isInvalidInput, type InvalidInput, type Schedule } from '../domain/catalog';
import { closeSales, parseCloseReason } from '../domain/sales-window';
import { commandContext, recordCatalogEvents, type CatalogCommandDeps, type CommandCaller } from './record-catalog-events';

export type CloseSalesResult =
  | { kind: 'SalesClosed'; schedule: Schedule }
  /** Closed already: nothing written, nothing published; the first close's time and reason stand. */
  | { kind: 'SalesAlreadyClosed'; schedule: Schedule }
  | { kind: 'ScheduleNotFound' }
  | InvalidInput;

/**
 * An admin stops a schedule's sales. Decided under the schedule's row lock (the lock every
 * schedule writer takes), so concurrent opens and closes apply one after the other, each against
 * the state the previous one left, and their events take consecutive stream versions; the row and
 * `SalesClosed` commit together. The queue learns it from the event (it stops taking arrivals and
 * admitting), and booking from the schedule it reads before a hold.
 */
export function closeSalesCommand(deps: CatalogCommandDeps) {
  return async (scheduleId: string, request: { reason: string }, caller: CommandCaller & { userId: string }): Promise<CloseSalesResult> => {
    const reason = parseCloseReason(request.reason);
    if (isInvalidInput(reason)) return reason;
    if (!isCatalogId(scheduleId)) return { kind: 'ScheduleNotFound' };
    const context = commandContext(deps, caller);
    return deps.writer.transact(async (tx): Promise<CloseSalesResult> => {
      const current = await tx.lockSchedule(canonicalId(scheduleId));
      if (!current) return { kind: 'ScheduleNotFound' };
      const outcome = closeSales(current, { reason, closedBy: caller.userId }, context.now);
      if (outcome.kind === 'SalesWindowUnchanged') return { kind: 'SalesAlreadyClosed', schedule: current };
      await tx.updateSchedule(outcome.schedule);
      await recordCatalogEvents(tx, 'schedule', current.id, outcome.events, context);
      return { kind: 'SalesClosed', schedule: outcome.schedule };
    });
  };
}
