import { canonicalId, isCatalogId, type Concert, type InvalidInput } from '../domain/catalog';
import { changeConcert, validateConcertChange } from '../domain/concert-details';
import { commandContext, recordCatalogEvents, type CatalogCommandDeps, type CommandCaller } from './record-catalog-events';

export type UpdateConcertResult =
  | { kind: 'ConcertChanged'; concert: Concert }
  | { kind: 'ConcertUnchanged'; concert: Concert }
  | { kind: 'ConcertNotFound' }
  | InvalidInput;

export interface UpdateConcertRequest {
  title?: string | null;
  artist?: string | null;
  venue?: string | null;
}

/**
 * An admin edits a concert's details. The row is locked while the change is decided against
 * it, so concurrent edits apply one after the other, each with its own `ConcertChanged`
 * (only the fields it really changes); a change to what is already there writes nothing.
 */
export function updateConcertCommand(deps: CatalogCommandDeps) {
  return async (concertId: string, request: UpdateConcertRequest, caller: CommandCaller): Promise<UpdateConcertResult> => {
    const valid = validateConcertChange(request);
    if (valid.kind !== 'Valid') return valid;
    if (!isCatalogId(concertId)) return { kind: 'ConcertNotFound' };
    const context = commandContext(deps, caller);
    return deps.writer.transact(async (tx): Promise<UpdateConcertResult> => {
      const current = await tx.lockConcert(canonicalId(concertId));
      if (!current) return { kind: 'ConcertNotFound' };
      const outcome = changeConcert(current, valid.change);
      if (outcome.kind === 'ConcertUnchanged') return outcome;
      await tx.updateConcert(outcome.concert);
      await recordCatalogEvents(tx, 'concert', current.id, outcome.events, context);
      return { kind: 'ConcertChanged', concert: outcome.concert };
    });
  };
}
