import { concertCreated, type NewConcert } from '../domain/catalog-events';
import type { CatalogTransaction } from './ports';
import { recordCatalogEvents, type CommandContext } from './record-catalog-events';

/**
 * A new concert and its `ConcertCreated`, in the caller's transaction (the seed's one for the
 * whole demo catalog; an admin mutation's own). A taken id throws CatalogRowExists.
 */
export async function createConcert(tx: CatalogTransaction, concert: NewConcert, context: CommandContext): Promise<{ kind: 'ConcertCreated'; concertId: string }> {
  await tx.insertConcert(concert);
  await recordCatalogEvents(tx, 'concert', concert.id, concertCreated(concert), context);
  return { kind: 'ConcertCreated', concertId: concert.id };
}
