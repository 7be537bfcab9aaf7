import { stampEnvelopes } from '@ticketing/messaging';
import type { CatalogEvent } from '../domain/catalog-events';
import type { CatalogStream, CatalogTransaction, CatalogWriter } from './ports';

/** What a catalog command knows about its caller and the moment, for its events' envelopes. */
export interface CommandContext {
  now: Date;
  /** The admin request (or seed run) that asked for the change. */
  correlationId: string;
  causationId: string | null;
  newId: () => string;
}

/** What an admin command needs to write: one transaction per change, the clock and ids. */
export interface CatalogCommandDeps {
  writer: CatalogWriter;
  now: () => Date;
  newId: () => string;
}

/** The admin request asking for a change; its id correlates the change's events with its log lines. */
export interface CommandCaller {
  requestId: string;
}

export const commandContext = (deps: CatalogCommandDeps, caller: CommandCaller): CommandContext => ({
  now: deps.now(),
  correlationId: caller.requestId,
  causationId: null,
  newId: deps.newId,
});

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
