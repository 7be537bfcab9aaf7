import { canonicalId, type Concert, type InvalidInput } from '../domain/catalog';
import { concertCreated, type NewConcert } from '../domain/catalog-events';
import { validateNewConcert, type ConcertDetails } from '../domain/concert-details';
import type { CatalogTransaction } from './ports';
import { commandContext, recordCatalogEvents, type CatalogCommandDeps, type CommandCaller, type CommandContext } from './record-catalog-events';

export type CreateConcertResult = { kind: 'ConcertCreated'; concert: Concert } | InvalidInput;

/**
 * A new concert and its `ConcertCreated`, in the caller's transaction (the seed's one for the
 * whole demo catalog; an admin mutation's own). A taken id throws CatalogRowExists.
 */
export async function createConcert(tx: CatalogTransaction, concert: NewConcert, context: CommandContext): Promise<{ kind: 'ConcertCreated'; concert: Concert }> {
  const created = await tx.insertConcert(concert);
  await recordCatalogEvents(tx, 'concert', concert.id, concertCreated(concert), context);
  return { kind: 'ConcertCreated', concert: created };
}

/** An admin creates a concert: details validated before anything is written, then one transaction. */
export function createConcertCommand(deps: CatalogCommandDeps) {
  return async (request: ConcertDetails, caller: CommandCaller): Promise<CreateConcertResult> => {
    const valid = validateNewConcert(request);
    if (valid.kind !== 'Valid') return valid;
    const context = commandContext(deps, caller);
    const concert = { id: canonicalId(deps.newId()), ...valid.details };
    return deps.writer.transact((tx) => createConcert(tx, concert, context));
  };
}
