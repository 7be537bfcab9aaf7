import { canonicalId, isCatalogId, isInvalidInput, type InvalidInput, type Schedule } from '../domain/catalog';
import { changeSectionPrice, validateSectionPrice } from '../domain/section-price';
import type { SeatMapCache } from './ports';
import { commandContext, recordCatalogEvents, type CatalogCommandDeps, type CommandCaller } from './record-catalog-events';

export type SetSectionPriceResult =
  | { kind: 'SectionPriceChanged'; schedule: Schedule }
  | { kind: 'SectionPriceUnchanged'; schedule: Schedule }
  | { kind: 'ScheduleNotFound' }
  | { kind: 'SectionNotFound'; section: string }
  | { kind: 'PricesFrozen'; frozenAt: Date }
  | InvalidInput;

/**
 * An admin reprices a whole section. Decided under the schedule's row lock, the lock the price
 * freeze also takes (freeze-prices.command.ts): a change that commits does so before any freeze,
 * hence before the waiting room admits anyone, and one that comes after is PricesFrozen. The
 * seats, the stream version and `SectionPriceChanged` commit together; the seat map forgets the
 * schedule after the commit (a reader rebuilding earlier would cache the old prices).
 */
export function setSectionPriceCommand(deps: CatalogCommandDeps & { cache: Pick<SeatMapCache, 'invalidate'> }) {
  return async (scheduleId: string, section: string, price: number, caller: CommandCaller): Promise<SetSectionPriceResult> => {
    const request = validateSectionPrice(section, price);
    if (isInvalidInput(request)) return request;
    if (!isCatalogId(scheduleId)) return { kind: 'ScheduleNotFound' };
    const id = canonicalId(scheduleId);
    const context = commandContext(deps, caller);
    const result = await deps.writer.transact(async (tx): Promise<SetSectionPriceResult> => {
      const schedule = await tx.lockSchedule(id);
      if (!schedule) return { kind: 'ScheduleNotFound' };
      const state = { scheduleId: id, frozenAt: schedule.pricesFrozenAt ?? null, sectionPrices: await tx.sectionPrices(id, request.section) };
      const outcome = changeSectionPrice(state, request);
      if (outcome.kind === 'SectionPriceUnchanged') return { kind: 'SectionPriceUnchanged', schedule };
      if (outcome.kind !== 'SectionPriceChanged') return outcome;
      await tx.setSectionPrice(id, request.section, request.price);
      await recordCatalogEvents(tx, 'schedule', id, outcome.events, context);
      return { kind: 'SectionPriceChanged', schedule };
    });
    // Should Redis fail here, the prices are committed and the cached map is stale for at most its TTL;
    // the freeze invalidates again before any fan is admitted.
    if (result.kind === 'SectionPriceChanged') await deps.cache.invalidate([id]);
    return result;
  };
}
