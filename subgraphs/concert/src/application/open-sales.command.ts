import { canonicalId, isCatalogId, type Schedule } from '../domain/catalog';
import { openSales } from '../domain/sales-window';
import { commandContext, recordCatalogEvents, type CatalogCommandDeps, type CommandCaller } from './record-catalog-events';

export type OpenSalesResult =
  | { kind: 'SalesOpened'; schedule: Schedule }
  /** Open already (not closed, opening passed): nothing written, nothing published. */
  | { kind: 'SalesAlreadyOpen'; schedule: Schedule }
  | { kind: 'ScheduleNotFound' };

/**
 * An admin opens a schedule's sales now: lifts a close and brings a future `bookingOpensAt`
 * forward to now. Same row lock and transaction as closeSales (close-sales.command.ts), so the
 * last `SalesOpened` or `SalesClosed` of the stream is always the row's state.
 */
export function openSalesCommand(deps: CatalogCommandDeps) {
  return async (scheduleId: string, caller: CommandCaller & { userId: string }): Promise<OpenSalesResult> => {
    if (!isCatalogId(scheduleId)) return { kind: 'ScheduleNotFound' };
    const context = commandContext(deps, caller);
    return deps.writer.transact(async (tx): Promise<OpenSalesResult> => {
      const current = await tx.lockSchedule(canonicalId(scheduleId));
      if (!current) return { kind: 'ScheduleNotFound' };
      const outcome = openSales(current, { openedBy: caller.userId }, context.now);
      if (outcome.kind === 'SalesWindowUnchanged') return { kind: 'SalesAlreadyOpen', schedule: current };
      await tx.updateSchedule(outcome.schedule);
      await recordCatalogEvents(tx, 'schedule', current.id, outcome.events, context);
      return { kind: 'SalesOpened', schedule: outcome.schedule };
    });
  };
}
