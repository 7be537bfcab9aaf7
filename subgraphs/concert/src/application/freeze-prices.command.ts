import { canonicalId, isCatalogId } from '../domain/catalog';
import { freezePrices } from '../domain/section-price';
import type { CatalogWriter, SeatMapCache } from './ports';

export type FreezePricesResult = { kind: 'PricesFrozen'; frozenAt: Date } | { kind: 'ScheduleNotFound' };

/**
 * A queue asks this before admitting a schedule's first fan, and admits nobody until it answers.
 * The freeze is written under the schedule's row lock, so it waits for a price change in flight
 * and every later change sees it. The seat map is invalidated after the commit on every call,
 * before the answer: once the queue hears "frozen", no cached map from before the last price
 * change can still be served to a hold (a crash between a price change's commit and its own
 * invalidation is repaired here, as is a repeated freeze).
 */
export function freezePricesCommand(deps: { writer: CatalogWriter; now: () => Date; cache: Pick<SeatMapCache, 'invalidate'> }) {
  return async (scheduleId: string): Promise<FreezePricesResult> => {
    if (!isCatalogId(scheduleId)) return { kind: 'ScheduleNotFound' };
    const id = canonicalId(scheduleId);
    const result = await deps.writer.transact(async (tx): Promise<FreezePricesResult> => {
      const schedule = await tx.lockSchedule(id);
      if (!schedule) return { kind: 'ScheduleNotFound' };
      const outcome = freezePrices(schedule.pricesFrozenAt ?? null, deps.now());
      if (outcome.newlyFrozen) await tx.freezePrices(id, outcome.frozenAt);
      return { kind: 'PricesFrozen', frozenAt: outcome.frozenAt };
    });
    if (result.kind === 'PricesFrozen') await deps.cache.invalidate([id]);
    return result;
  };
}
