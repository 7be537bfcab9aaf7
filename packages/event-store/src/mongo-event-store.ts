import { MongoBulkWriteError, MongoClient, type Collection, type Filter, type MongoClientOptions } from 'mongodb';
import { describeIssues, envelopeSchema, type AggregateType, type EventEnvelope, type HistoricVersions, type StreamRef } from '@ticketing/contracts';
import {
  classifyRefusals,
  planAppend,
  slotKey,
  type AppendResult,
  type AppendedEvent,
  type ExpectedVersion,
  type ExpectedVersionConflict,
} from './append-outcome';
import { toPage, type Page } from './cursor';
import { createPositionAllocator, type CounterDocument } from './position-allocator';
import { toEventDocument, toStoredEvent, type EventDocument, type StoredEvent } from './stored-event';
import { createUpcaster } from './upcasting';

export const EVENTS_COLLECTION = 'events';
export const COUNTERS_COLLECTION = 'counters';

const DUPLICATE_KEY = 11000;
/** Position clashes only happen on FerretDB under concurrency; a few rounds always settle them. */
const MAX_APPEND_ROUNDS = 20;

const EVENT_INDEXES = [
  // Idempotent archiving: a redelivered event is refused, then reported as a duplicate.
  { name: 'eventId_unique', key: { eventId: 1 } },
  // One history per aggregate, and the fence for optimistic concurrency.
  { name: 'stream_version_unique', key: { 'stream.type': 1, 'stream.id': 1, streamVersion: 1 } },
  // Reads by position; and the real fence where the counter is not atomic (FerretDB).
  { name: 'globalPosition_unique', key: { globalPosition: 1 } },
] as const;

export interface EventStoreOptions {
  url: string;
  /** Old event versions and how to lift them (contracts' `HISTORIC`); applied on every read. */
  upcasters?: HistoricVersions;
  /** The store's clock for `recordedAt`. */
  now?: () => Date;
  /** Overrides of the driver options below (tests, benchmarks). */
  clientOptions?: MongoClientOptions;
}

export interface AppendOptions {
  /** Optimistic concurrency for a writer that read the stream first; archivers leave it out. */
  expectedVersion?: ExpectedVersion;
}

export class InvalidEventError extends Error {
  constructor(
    readonly eventId: unknown,
    reason: string,
  ) {
    super(`not an event envelope (eventId ${String(eventId)}): ${reason}`);
    this.name = 'InvalidEventError';
  }
}

/**
 * Driver options, each for a reason:
 * - short server selection and connect timeouts, so a start-up or `/ready` probe fails in
 *   seconds with the cause instead of hanging for the driver's 30 s default;
 * - `w: 'majority'`: on a replica set an archived event survives a failover before the archiver
 *   commits its Kafka offset (a standalone MongoDB and FerretDB treat it as w:1);
 * - retryable writes stay on (the driver's default): an append is idempotent on `eventId`, so a
 *   retried insert is harmless; FerretDB presents itself as a standalone server, for which the
 *   driver never sends the session/txnNumber fields FerretDB lacks, so nothing needs switching off.
 */
const DRIVER_DEFAULTS: MongoClientOptions = {
  appName: 'ticketing-event-store',
  serverSelectionTimeoutMS: 5_000,
  connectTimeoutMS: 5_000,
  writeConcern: { w: 'majority' },
};

/**
 * The event store: one document per event in `events`, positions from a counter document in
 * `counters` (ADR 0007). One instance (one MongoClient and its pool) per process.
 */
export function createEventStore(options: EventStoreOptions) {
  const client = new MongoClient(options.url, { ...DRIVER_DEFAULTS, ...options.clientOptions });
  const db = client.db();
  const events: Collection<EventDocument> = db.collection(EVENTS_COLLECTION);
  const allocator = createPositionAllocator(db.collection<CounterDocument>(COUNTERS_COLLECTION));
  const upcast = createUpcaster(options.upcasters ?? {});
  const now = options.now ?? (() => new Date());
  const read = (document: unknown) => upcast(toStoredEvent(document));
  const streamFilter = (stream: StreamRef): Filter<EventDocument> => ({ 'stream.type': stream.type, 'stream.id': stream.id });

  async function streamHead(stream: StreamRef): Promise<number | null> {
    const head = await events.findOne(streamFilter(stream), { sort: { streamVersion: -1 }, projection: { _id: 0, streamVersion: 1 } });
    return head?.streamVersion ?? null;
  }

  /** One stream in streamVersion order, from `fromVersion` (inclusive). */
  async function readStream(streamType: AggregateType, streamId: string, range: { fromVersion?: number; limit?: number } = {}): Promise<StoredEvent[]> {
    const documents = await events
      .find({ ...streamFilter({ type: streamType, id: streamId }), streamVersion: { $gte: range.fromVersion ?? 0 } }, { projection: { _id: 0 } })
      .sort({ streamVersion: 1 })
      .limit(range.limit ?? 0)
      .toArray();
    return documents.map(read);
  }

  /** Inserts; the indexes of refused (duplicate-key) documents and of those an ordered insert never tried. */
  async function insert(documents: EventDocument[], ordered: boolean): Promise<{ refused: number[]; untried: number[] }> {
    try {
      await events.insertMany(documents, { ordered });
      return { refused: [], untried: [] };
    } catch (error) {
      if (!(error instanceof MongoBulkWriteError)) throw error;
      const writeErrors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
      if (writeErrors.length === 0 || writeErrors.some((writeError) => writeError.code !== DUPLICATE_KEY)) throw error;
      const refused = writeErrors.map((writeError) => writeError.index).sort((a, b) => a - b);
      const stop = refused[0]!;
      const untried = ordered ? documents.map((_, i) => i).filter((i) => i > stop) : [];
      return { refused, untried };
    }
  }

  /** Which refused events are already stored, and which slots another event holds (one query each). */
  async function evidenceFor(refused: readonly EventEnvelope[]) {
    const stored = await events.find({ eventId: { $in: refused.map((event) => event.eventId) } }, { projection: { _id: 0, eventId: 1 } }).toArray();
    const storedEventIds = new Set(stored.map((document) => document.eventId));
    const rest = refused.filter((event) => !storedEventIds.has(event.eventId));
    const holders =
      rest.length === 0
        ? []
        : await events
            .find(
              { $or: rest.map((event) => ({ ...streamFilter(event.stream), streamVersion: event.streamVersion })) },
              { projection: { _id: 0, eventId: 1, stream: 1, streamVersion: 1 } },
            )
            .toArray();
    const slotHolders = new Map(holders.map((document) => [slotKey(document.stream, document.streamVersion), document.eventId]));
    return { storedEventIds, slotHolders };
  }

  async function conflictsFor(lost: readonly EventEnvelope[], expected: ExpectedVersion | undefined, firstEventId: string | undefined): Promise<ExpectedVersionConflict[]> {
    const heads = new Map<string, number | null>();
    for (const event of lost) {
      const key = slotKey(event.stream, 0);
      if (!heads.has(key)) heads.set(key, await streamHead(event.stream));
    }
    return lost.map((event) => ({
      kind: 'ExpectedVersionConflict',
      eventId: event.eventId,
      stream: { type: event.stream.type, id: event.stream.id },
      streamVersion: event.streamVersion,
      expectedVersion: expected === 'no-stream' && event.eventId === firstEventId ? 'no-stream' : event.streamVersion - 1,
      actualVersion: heads.get(slotKey(event.stream, 0)) ?? null,
    }));
  }

  /**
   * With an expected version the stream's head must match before anything is written; the
   * unique (stream, streamVersion) index then lets exactly one of several racing writers take
   * the next slot. A retried append whose first events are already stored resumes after them.
   */
  async function checkExpected(toWrite: EventEnvelope[], expected: ExpectedVersion, result: AppendResult): Promise<{ pending: EventEnvelope[]; expected: ExpectedVersion }> {
    const first = toWrite[0]!;
    const head = await streamHead(first.stream);
    if (head === (expected === 'no-stream' ? null : expected)) return { pending: toWrite, expected };
    const stored = await events.find({ eventId: { $in: toWrite.map((event) => event.eventId) } }, { projection: { _id: 0, eventId: 1 } }).toArray();
    const storedIds = new Set(stored.map((document) => document.eventId));
    let resumeAt = 0;
    while (resumeAt < toWrite.length && storedIds.has(toWrite[resumeAt]!.eventId)) resumeAt++;
    if (resumeAt > 0) {
      result.duplicates.push(...toWrite.slice(0, resumeAt).map((event) => event.eventId));
      const pending = toWrite.slice(resumeAt);
      const resumed = toWrite[resumeAt - 1]!.streamVersion;
      if (pending.length === 0 || head === resumed) return { pending, expected: resumed };
    }
    const loser = toWrite[resumeAt]!;
    result.conflicts.push({
      kind: 'ExpectedVersionConflict',
      eventId: loser.eventId,
      stream: { type: loser.stream.type, id: loser.stream.id },
      streamVersion: loser.streamVersion,
      expectedVersion: resumeAt > 0 ? toWrite[resumeAt - 1]!.streamVersion : expected,
      actualVersion: head,
    });
    return { pending: [], expected };
  }

  return {
    databaseName: db.databaseName,

    /** Idempotent; run at start before the first append. */
    async ensureIndexes(): Promise<void> {
      // One index per command: FerretDB 1.24 panics and drops the connection when a single
      // createIndexes names two or more indexes that already exist ("slice bounds out of range").
      for (const index of EVENT_INDEXES) await events.createIndex(index.key, { name: index.name, unique: true });
      await allocator.ensureCounter();
    },

    /**
     * Appends envelopes (the raw envelope is stored as it is). Without `expectedVersion`
     * (archiving): unordered insertMany, since each event's fate is independent (the unique
     * indexes decide, and stream order is carried by streamVersion, not by insertion order),
     * so a duplicate in the middle does not stop the rest. With it: one stream's next events,
     * ordered, so a lost first slot writes nothing. Not atomic across events (no transactions).
     */
    async append(batch: readonly EventEnvelope[], appendOptions: AppendOptions = {}): Promise<AppendResult> {
      for (const event of batch) {
        const checked = envelopeSchema.safeParse(event);
        if (!checked.success) throw new InvalidEventError((event as { eventId?: unknown } | null)?.eventId, describeIssues(checked.error));
      }
      const plan = planAppend(batch, appendOptions.expectedVersion);
      const result: AppendResult = { appended: [], duplicates: plan.duplicates, conflicts: [] };
      const ordered = appendOptions.expectedVersion !== undefined;
      let pending = plan.toWrite;
      let expected = appendOptions.expectedVersion;
      if (expected !== undefined && pending.length > 0) ({ pending, expected } = await checkExpected(pending, expected, result));
      const firstEventId = pending[0]?.eventId;

      for (let round = 1; pending.length > 0; round++) {
        if (round > MAX_APPEND_ROUNDS) throw new Error(`append: global positions still clashing after ${MAX_APPEND_ROUNDS} rounds`);
        const block = await allocator.allocate(pending.length);
        const recordedAt = now();
        const documents = pending.map((event, i) => toEventDocument(event, block.first + i, recordedAt));
        const { refused, untried } = await insert(documents, ordered);
        const notWritten = new Set([...refused, ...untried]);
        documents.forEach((document, i) => {
          if (!notWritten.has(i)) {
            result.appended.push({ eventId: document.eventId, stream: document.stream, streamVersion: document.streamVersion, globalPosition: document.globalPosition });
          }
        });
        if (refused.length === 0) break;
        const refusedEvents = refused.map((i) => pending[i]!);
        const outcome = classifyRefusals(refusedEvents, await evidenceFor(refusedEvents));
        result.duplicates.push(...outcome.duplicates.map((event) => event.eventId));
        result.conflicts.push(...(await conflictsFor(outcome.slotTaken, expected, firstEventId)));
        // Ordered: stop at a lost slot; otherwise go on with the clashed event and what was not tried.
        const untriedEvents = untried.map((i) => pending[i]!);
        pending = ordered ? (outcome.slotTaken.length > 0 ? [] : [...outcome.positionTaken, ...untriedEvents]) : outcome.positionTaken;
      }
      result.appended.sort((a: AppendedEvent, b: AppendedEvent) => a.globalPosition - b.globalPosition);
      return result;
    },

    readStream,

    /** A page of one stream for `streamEvents(first, after)`: the cursor is a streamVersion. */
    async readStreamPage(streamType: AggregateType, streamId: string, page: { first: number; after?: number | null }): Promise<Page<StoredEvent>> {
      const fromVersion = page.after === undefined || page.after === null ? 0 : page.after + 1;
      const rows = await readStream(streamType, streamId, { fromVersion, limit: page.first + 1 });
      return toPage(rows, page.first, (event) => event.streamVersion);
    },

    /** Events after a global position, in position order (may skip gaps: see `takeContiguous`). */
    async readAll(range: { after?: number; limit: number }): Promise<StoredEvent[]> {
      const documents = await events
        .find({ globalPosition: { $gt: range.after ?? 0 } }, { projection: { _id: 0 } })
        .sort({ globalPosition: 1 })
        .limit(range.limit)
        .toArray();
      return documents.map(read);
    },

    /**
     * Every event after a position through one server cursor (replay): one query, fetched in
     * batches. FerretDB sorts the whole collection per query (no index use on SQLite), so one
     * cursor costs one sort where pages would cost one each.
     */
    async *iterateAll(range: { after?: number; batchSize?: number } = {}): AsyncGenerator<StoredEvent> {
      const cursor = events
        .find({ globalPosition: { $gt: range.after ?? 0 } }, { projection: { _id: 0 } })
        .sort({ globalPosition: 1 })
        .batchSize(range.batchSize ?? 1000);
      try {
        for await (const document of cursor) yield read(document);
      } finally {
        await cursor.close();
      }
    },

    /** The last streamVersion of a stream, or null when it has no events. */
    streamHead,

    /** The highest reserved position: a reader that has seen everything up to it is caught up. */
    highWaterMark: () => allocator.highWaterMark(),

    /** Readiness: the server answers. */
    async ping(): Promise<void> {
      await db.command({ ping: 1 });
    },

    async close(): Promise<void> {
      await client.close();
    },
  };
}

export type EventStore = ReturnType<typeof createEventStore>;

/** Removes a whole store database (a test run's or a spec file's); production never calls this. */
export async function dropEventStoreDatabase(url: string): Promise<void> {
  const client = new MongoClient(url, DRIVER_DEFAULTS);
  try {
    await client.db().dropDatabase();
  } finally {
    await client.close();
  }
}
