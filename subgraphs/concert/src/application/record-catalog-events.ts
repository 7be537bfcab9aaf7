import { stampEnvelopes } from '@ticketing/messaging';
import type { CatalogEvent } from '../domain/catalog-events';
import type { CatalogStream, CatalogTransaction } from './ports';

/** What a catalog command knows about its caller and the moment, for its events' envelopes. */
export interface CommandContext {
  now: Date;
  /** The admin request (or seed run) that asked for the change. */
  correlationId: string;
  causationId: string | null;
  newId: () => string;
}

/**
 * The events of one change, numbered in their stream under its row's lock and appended to the
 * outbox in the caller's transaction.
 */
export async function recordCatalogEvents(
  tx: CatalogTransaction,
  stream: CatalogStream,
  id: string,
  events: readonly CatalogEvent[],
  context: CommandContext,
): Promise<void> {
  if (events.length === 0) return;
  const fromVersion = await tx.claimVersions(stream, id, events.length);
  if (fromVersion === null) throw new Error(`${stream} ${id} vanished inside its transaction`);
  await tx.appendToOutbox(
    stampEnvelopes(events, { streamId: id, fromVersion, correlationId: context.correlationId, causationId: context.causationId, now: context.now, newId: context.newId }),
  );
}
