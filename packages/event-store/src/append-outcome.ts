import type { EventEnvelope, StreamRef } from '@ticketing/contracts';

/**
 * What a writer expects its stream to hold before the append: the streamVersion of the last
 * event it saw, or `'no-stream'` when the stream must not exist yet.
 */
export type ExpectedVersion = number | 'no-stream';

/**
 * A lost race for a stream slot, as a value: another event already holds (stream, version).
 * `actualVersion` is the stream's last version when the loss was seen (null: still empty).
 */
export interface ExpectedVersionConflict {
  kind: 'ExpectedVersionConflict';
  eventId: string;
  stream: StreamRef;
  streamVersion: number;
  expectedVersion: ExpectedVersion;
  actualVersion: number | null;
}

export interface AppendedEvent {
  eventId: string;
  stream: StreamRef;
  streamVersion: number;
  globalPosition: number;
}

/**
 * Every event of an append lands in exactly one list. Duplicates (the eventId is already
 * stored, or repeated in the batch) are success for an at-least-once archiver, not errors.
 * With an expected version, events after a conflict are not written and are not listed.
 */
export interface AppendResult {
  appended: AppendedEvent[];
  duplicates: string[];
  conflicts: ExpectedVersionConflict[];
}

export const slotKey = (stream: StreamRef, streamVersion: number) => `${stream.type}\u0000${stream.id}\u0000${streamVersion}`;

/**
 * The events to write, in order, with in-batch repeats of an eventId set aside as duplicates.
 * With an expected version the batch must be one stream's next consecutive versions: anything
 * else is a caller bug, so it throws rather than writing a stream with holes.
 */
export function planAppend(events: readonly EventEnvelope[], expectedVersion?: ExpectedVersion): { toWrite: EventEnvelope[]; duplicates: string[] } {
  const seen = new Set<string>();
  const toWrite: EventEnvelope[] = [];
  const duplicates: string[] = [];
  for (const event of events) {
    if (seen.has(event.eventId)) duplicates.push(event.eventId);
    else {
      seen.add(event.eventId);
      toWrite.push(event);
    }
  }
  if (expectedVersion === undefined || toWrite.length === 0) return { toWrite, duplicates };
  const [first] = toWrite;
  if (expectedVersion !== 'no-stream' && first!.streamVersion !== expectedVersion + 1) {
    throw new RangeError(`expected version ${expectedVersion}: the first event must have streamVersion ${expectedVersion + 1}, not ${first!.streamVersion}`);
  }
  toWrite.forEach((event, i) => {
    if (event.stream.type !== first!.stream.type || event.stream.id !== first!.stream.id) {
      throw new RangeError('an append with an expected version writes one stream only');
    }
    if (event.streamVersion !== first!.streamVersion + i) throw new RangeError('an append with an expected version needs consecutive streamVersions');
  });
  return { toWrite, duplicates };
}

/** What the store found after a duplicate-key refusal: stored eventIds, and who holds each slot. */
export interface RefusalEvidence {
  storedEventIds: ReadonlySet<string>;
  slotHolders: ReadonlyMap<string, string>;
}

export interface RefusalClassification {
  /** The eventId is stored: a redelivery or a concurrent archiver won. Not an error. */
  duplicates: EventEnvelope[];
  /** Another event holds (stream, streamVersion): a lost race, reported as a conflict. */
  slotTaken: EventEnvelope[];
  /**
   * Only the global position clashed (FerretDB's counter is not atomic under concurrency,
   * ADR 0007): the event is written again with a fresh block.
   */
  positionTaken: EventEnvelope[];
}

/**
 * Why each refused insert was refused. FerretDB's E11000 message does not name the index, so
 * the store looks the event up instead of parsing text: same answer on FerretDB and MongoDB.
 */
export function classifyRefusals(refused: readonly EventEnvelope[], evidence: RefusalEvidence): RefusalClassification {
  const result: RefusalClassification = { duplicates: [], slotTaken: [], positionTaken: [] };
  for (const event of refused) {
    const holder = evidence.slotHolders.get(slotKey(event.stream, event.streamVersion));
    // The slot held by this very event is a duplicate too: another archiver's insert of it can
    // land between the two look-ups (seen once in CI as a false conflict).
    if (evidence.storedEventIds.has(event.eventId) || holder === event.eventId) result.duplicates.push(event);
    else if (holder !== undefined) result.slotTaken.push(event);
    else result.positionTaken.push(event);
  }
  return result;
}
