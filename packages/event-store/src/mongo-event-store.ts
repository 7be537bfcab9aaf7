import { BSON, MongoBulkWriteError, MongoClient, type Collection, type Filter, type MongoClientOptions } from 'mongodb';
import { describeIssues, envelopeSchema, isCheckedEnvelope, type AggregateType, type EventEnvelope, type HistoricVersions, type StreamRef } from '@ticketing/contracts';
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
import { createPositionAllocator, type CounterDocument, type PositionBlock } from './position-allocator';
import { storedEventOfChecked, toEventDocument, toStoredEvent, type EventDocument, type StoredEvent } from './stored-event';
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
  /**
   * How many of the events this process appended last it keeps in memory, so that its own live
   * projections read them back without a query (`readAll` with `upTo`); 0 turns that off.
   */
  recentEvents?: number;
}

/** Enough for live projections a few pages behind the archiver (PROJECTION_BATCH_SIZE 500). */
const DEFAULT_RECENT_EVENTS = 10_000;
/** Events a live reader's query fetches at most beyond its page (kept with the recent ones). */
const READ_AHEAD = 2_000;

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
  // A document this process holds in memory (recent) is read by every projection, page after
  // page: it is checked and upcast once, and every reader gets that one event (issue 10: the
  // check, a zod walk per read, was a share of history's CPU in the on-sale profile). Readers
  // never change what they are given.
  const readOnce = new WeakMap<object, StoredEvent>();
  // The copies recent keeps of documents append wrote, all from envelopes it had checked: read without a second check.
  const builtHere = new WeakSet<object>();
  const read = (document: unknown): StoredEvent => {
    const kept = typeof document === 'object' && document !== null ? document : null;
    const known = kept && readOnce.get(kept);
    if (known) return known;
    const event = upcast(kept && builtHere.has(kept) ? storedEventOfChecked(kept as EventDocument) : toStoredEvent(document));
    if (kept) readOnce.set(kept, event);
    return event;
  };
  const streamFilter = (stream: StreamRef): Filter<EventDocument> => ({ 'stream.type': stream.type, 'stream.id': stream.id });
  const recent = createRecentEvents(options.recentEvents ?? DEFAULT_RECENT_EVENTS);

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
        // One the archiver (or any caller) already parsed or made is not walked again.
        if (isCheckedEnvelope(event)) continue;
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
        // Registered as in flight as soon as reserved: a reader of this process seeing the new
        // high-water mark waits for this insert instead of querying the store.
        const block = await recent.reserve(() => allocator.allocate(pending.length));
        const { refused, untried, documents } = await recent.writing(block, async () => {
          const recordedAt = now();
          const documents = pending.map((event, i) => toEventDocument(event, block.first + i, recordedAt));
          const outcome = await insert(documents, ordered);
          const notWritten = new Set([...outcome.refused, ...outcome.untried]);
          documents.forEach((document, i) => {
            // Every envelope here passed append's check, and the copy kept is still that envelope.
            const kept = notWritten.has(i) ? undefined : recent.add(document);
            if (kept) builtHere.add(kept);
          });
          return { ...outcome, documents };
        });
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

    /**
     * Events after a global position, in position order (may skip gaps: see `takeContiguous`).
     * With `upTo` (a high-water mark read before): when this process holds every position in
     * (after, min(after + limit, upTo)] (it appended them, or read them ahead), the page comes
     * from memory, the same events the query would return up to `upTo` (the unique
     * `globalPosition` holds one event per position); otherwise the query (a scan and sort of the
     * collection on FerretDB), reading ahead. A position missing here (a gap, an event in flight
     * or another process's) always goes to the store.
     */
    async readAll(range: { after?: number; limit: number; upTo?: number }): Promise<StoredEvent[]> {
      const after = range.after ?? 0;
      if (range.upTo !== undefined) {
        const held = await recent.page(after, Math.min(after + range.limit, range.upTo));
        if (held) return held.map(read);
      }
      // A live reader behind (catching up, or after a gap) reads ahead: on FerretDB the query scans
      // and sorts the whole collection whatever its limit, so the next pages come with this one.
      const readAhead = range.upTo === undefined ? 0 : Math.min(READ_AHEAD, recent.capacity / 2);
      const documents = await events
        .find({ globalPosition: { $gt: after } }, { projection: { _id: 0 } })
        .sort({ globalPosition: 1 })
        .limit(Math.max(range.limit, readAhead))
        .toArray();
      if (readAhead > 0) for (const document of documents) recent.keep(document as EventDocument);
      return documents.slice(0, range.limit).map(read);
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

/**
 * The last `capacity` events this process inserted or read ahead, by global position: only
 * documents the store holds (written ones, or read back), so a position held here has exactly
 * this event in the store too.
 */
function createRecentEvents(capacity: number) {
  const byPosition = new Map<number, EventDocument>();
  /** Blocks this process reserved and is inserting now; `done` once the insert returned (or failed). */
  interface InFlight extends PositionBlock {
    done: Promise<void>;
    finish: () => void;
  }
  const inFlight = new Set<InFlight>();
  /** Reservations asked for and not answered yet (their block unknown). */
  const reserving = new Set<InFlight>();
  /** A stored event never changes (append-only, one event per position): what was read or written stays true. */
  const keep = (document: EventDocument): void => {
    if (capacity <= 0) return;
    byPosition.delete(document.globalPosition);
    byPosition.set(document.globalPosition, document);
    // Oldest first (positions rise per process, so about the lowest ones).
    for (const position of byPosition.keys()) {
      if (byPosition.size <= capacity) break;
      byPosition.delete(position);
    }
  };
  return {
    capacity,
    /**
     * An event this process inserted, as a read would return it: through BSON as the driver sends
     * it (undefined → null, as the driver's default), without the `_id` the driver added (reads leave it out).
     */
    add(document: EventDocument): EventDocument | undefined {
      if (capacity <= 0) return undefined;
      const { _id: _driverId, ...stored } = document as EventDocument & { _id?: unknown };
      const copy = BSON.deserialize(BSON.serialize(stored, { ignoreUndefined: false })) as EventDocument;
      keep(copy);
      return copy;
    },
    /** A document read from the store (the driver's own copy). */
    keep,
    /**
     * Reserves a block; from the moment the reservation is asked for, readers missing a position
     * wait for it to be known, and from the moment it is known, for its insert (`writing`).
     */
    async reserve(allocate: () => Promise<PositionBlock>): Promise<PositionBlock> {
      let finish = () => undefined as void;
      const entry: InFlight = { first: Number.POSITIVE_INFINITY, last: Number.NEGATIVE_INFINITY, done: new Promise<void>((resolve) => (finish = resolve)), finish };
      reserving.add(entry);
      try {
        const block = await allocate();
        Object.assign(entry, block);
        inFlight.add(entry);
        return block;
      } catch (error) {
        finish();
        throw error;
      } finally {
        reserving.delete(entry);
      }
    },
    /** Runs this process's insert of a block reserved with `reserve`; readers of its positions wait for it. */
    async writing<T>(block: PositionBlock, insert: () => Promise<T>): Promise<T> {
      const entry = [...inFlight].find((candidate) => candidate.first === block.first && candidate.last === block.last);
      try {
        return await insert();
      } finally {
        if (entry) {
          inFlight.delete(entry);
          entry.finish();
        }
      }
    },
    /**
     * Every position in (after, upTo], or null when one of them is not held (then the store
     * decides). A position this process is inserting right now is waited for first: the answer
     * is then what a query after that insert would return.
     */
    async page(after: number, upTo: number): Promise<EventDocument[] | null> {
      if (upTo <= after) return [];
      if (capacity <= 0) return null;
      const waited = new Set<unknown>();
      for (;;) {
        const run: EventDocument[] = [];
        let missing: number | null = null;
        for (let position = after + 1; position <= upTo; position++) {
          const document = byPosition.get(position);
          if (!document) {
            missing = position;
            break;
          }
          run.push(document);
        }
        if (missing === null) return run;
        // Its insert in flight, or (not known yet) a reservation under way: wait once for each.
        const writer = [...inFlight].find((entry) => entry.first <= missing && missing <= entry.last) ?? [...reserving].find((entry) => !waited.has(entry));
        if (!writer || waited.has(writer)) return null;
        waited.add(writer);
        await writer.done;
      }
    },
  };
}

/** Removes a whole store database (a test run's or a spec file's); production never calls this. */
export async function dropEventStoreDatabase(url: string): Promise<void> {
  const client = new MongoClient(url, DRIVER_DEFAULTS);
  try {
    await client.db().dropDatabase();
  } finally {
    await client.close();
  }
}
