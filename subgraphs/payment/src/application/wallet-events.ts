import type { EventEnvelope } from '@ticketing/contracts';
import { stampEnvelopes } from '@ticketing/messaging';
import { walletEvent, walletStreamVersion, type BalanceChange, type RecordedEntry } from '../domain/wallet';
import type { Causation } from './ports';

export interface StampDeps {
  newId: () => string;
  clock: () => Date;
}

/**
 * The envelope of a balance change the ledger just recorded: stream `wallet/<userId>` at the
 * wallet's version after the change − 1. Written in the change's transaction while it holds the
 * wallet's row lock, so the outbox (and Kafka) see one wallet's events in version order.
 */
export function walletEnvelopes(change: BalanceChange, entry: RecordedEntry, causation: Causation, deps: StampDeps): EventEnvelope[] {
  return stampEnvelopes([walletEvent(change, entry)], {
    streamId: change.userId,
    fromVersion: walletStreamVersion(entry),
    correlationId: causation.correlationId,
    causationId: causation.causationId,
    now: deps.clock(),
    newId: deps.newId,
  });
}
