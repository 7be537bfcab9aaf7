import { parseEnvelope, type EventEnvelope } from '@ticketing/contracts';
import type { AppendResult } from '@ticketing/event-store';

/** A Kafka message as the archiver sees it (the messaging package's `IncomingMessage` fits). */
export interface ArchivableMessage {
  topic: string;
  value: string | null;
}

export interface SortedBatch<M extends ArchivableMessage> {
  /** Envelopes as they travelled (raw JSON, unknown fields kept), with their message. */
  valid: { message: M; envelope: EventEnvelope }[];
  malformed: { message: M; reason: string }[];
}

/**
 * Splits a batch into what the store can take and what must be parked (pure). The raw JSON is
 * stored, not the parsed value: the tolerant parser drops fields a newer producer added, and an
 * archive must keep everything.
 */
export function sortBatch<M extends ArchivableMessage>(messages: readonly M[]): SortedBatch<M> {
  const sorted: SortedBatch<M> = { valid: [], malformed: [] };
  for (const message of messages) {
    if (message.value === null) {
      sorted.malformed.push({ message, reason: 'malformed: message has no value' });
      continue;
    }
    const parsed = parseEnvelope(message.value);
    if (parsed.ok) sorted.valid.push({ message, envelope: JSON.parse(message.value) as EventEnvelope });
    else sorted.malformed.push({ message, reason: `malformed: ${parsed.reason}` });
  }
  return sorted;
}

export interface ArchiveOutcome {
  appended: number;
  duplicates: number;
  parked: number;
}

/**
 * One Kafka batch → one append. A redelivered or doubly archived event is a reported duplicate
 * (the store's unique eventId), never a second document. Malformed messages, and events whose
 * stream slot already holds another event (a producer bug: two events claim one version), are
 * parked with the reason and the rest of the batch is archived. A store failure throws, so the
 * batch is redelivered rather than parked.
 */
export function archiveBatch<M extends ArchivableMessage>(deps: {
  append: (envelopes: readonly EventEnvelope[]) => Promise<AppendResult>;
  park: (message: M, reason: string) => Promise<void>;
}) {
  return async (messages: readonly M[]): Promise<ArchiveOutcome> => {
    const { valid, malformed } = sortBatch(messages);
    const result = valid.length > 0 ? await deps.append(valid.map((entry) => entry.envelope)) : { appended: [], duplicates: [], conflicts: [] };
    const messageOf = new Map(valid.map((entry) => [entry.envelope.eventId, entry.message]));
    const toPark = [
      ...malformed,
      ...result.conflicts.flatMap((conflict) => {
        const message = messageOf.get(conflict.eventId);
        const reason = `conflict: ${conflict.stream.type}/${conflict.stream.id} version ${conflict.streamVersion} already holds another event (head ${String(conflict.actualVersion)})`;
        return message ? [{ message, reason }] : [];
      }),
    ];
    for (const { message, reason } of toPark) await deps.park(message, reason);
    return { appended: result.appended.length, duplicates: result.duplicates.length, parked: toPark.length };
  };
}
