import { z } from 'zod';
import { envelopeSchema, parseEnvelope, type EventEnvelope, type HistoricVersions } from '@ticketing/contracts';
import { MongoClient } from 'mongodb';
import { createEventStore, dropEventStoreDatabase, type EventStore } from '../src/mongo-event-store';
import { eventDocumentSchema } from '../src/stored-event';
import type { AppendResult } from '../src/append-outcome';
import { event, specStoreUrl, streamOf } from './support';

/** A test-only event type with a v1 → v2 history, to see upcasting on the read path. */
const upcasters: HistoricVersions = {
  TestRenamed: { 1: { payload: z.object({ name: z.string() }), upcast: ({ name }) => ({ displayName: name, tier: 'standard' }) } },
};

const url = specStoreUrl('store');
let store: EventStore;
let raw: MongoClient;

beforeAll(async () => {
  store = createEventStore({ url, upcasters });
  await store.ensureIndexes();
  raw = await MongoClient.connect(url);
});

afterAll(async () => {
  await store.close();
  await raw.close();
  await dropEventStoreDatabase(url);
});

const documentsOf = (filter: object) => raw.db().collection('events').find(filter, { projection: { _id: 0 } }).toArray();

/** Deterministic shuffles and batch sizes, so a failure can be rerun as it was. */
function random(seed: number) {
  let state = seed;
  return (below: number) => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state % below;
  };
}
const shuffled = <T>(items: readonly T[], next: (below: number) => number) => {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = next(i + 1);
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
};

describe('event store on the real Mongo-protocol server', () => {
  it('given the indexes exist, when ensureIndexes runs again, then it succeeds and the three unique indexes are there', async () => {
    await store.ensureIndexes();
    const indexes = await raw.db().collection('events').indexes();
    const unique = indexes.filter((index) => index.unique).map((index) => index.key);
    expect(unique).toEqual(expect.arrayContaining([{ eventId: 1 }, { 'stream.type': 1, 'stream.id': 1, streamVersion: 1 }, { globalPosition: 1 }]));
  });

  it('given an appended event, when the same event is appended again and twice within one batch, then there is one document and the repeats are duplicates', async () => {
    const [first] = streamOf('dup-1', 1);
    const once = await store.append([first!]);
    const again = await store.append([first!]);
    const inBatch = await store.append([first!, first!]);
    expect(once.appended.map((e) => e.eventId)).toEqual([first!.eventId]);
    expect(again).toEqual({ appended: [], duplicates: [first!.eventId], conflicts: [] });
    expect(inBatch).toEqual({ appended: [], duplicates: [first!.eventId, first!.eventId], conflicts: [] });
    expect(await documentsOf({ eventId: first!.eventId })).toHaveLength(1);
  });

  it('given a fresh event and a duplicate in one batch, when appended, then the fresh one is written and the duplicate does not stop it', async () => {
    const [a, b] = streamOf('dup-2', 2);
    await store.append([a!]);
    const result = await store.append([a!, b!]);
    expect(result.appended.map((e) => e.eventId)).toEqual([b!.eventId]);
    expect(result.duplicates).toEqual([a!.eventId]);
    expect((await store.readStream('booking', 'dup-2')).map((e) => e.eventId)).toEqual([a!.eventId, b!.eventId]);
  });

  it('given a stream slot held by another event, when an archiver appends a different event for it, then it gets an ExpectedVersionConflict, not a raw E11000', async () => {
    const [a, b] = streamOf('slot-1', 2);
    await store.append([a!, b!]);
    const rival = event('slot-1', 2);
    const result = await store.append([rival]);
    expect(result.appended).toEqual([]);
    expect(result.conflicts).toEqual([
      { kind: 'ExpectedVersionConflict', eventId: rival.eventId, stream: { type: 'booking', id: 'slot-1' }, streamVersion: 2, expectedVersion: 1, actualVersion: 2 },
    ]);
  });

  it('given two archivers appending overlapping sets concurrently in random batches, then every event is stored once, positions are unique and rise per appender, and each stream is 1..n', async () => {
    const streams = 75;
    const perStream = 10;
    const universe = Array.from({ length: streams }, (_, s) => streamOf(`race-${s}`, perStream)).flat();
    const next = random(20261203);
    // 2 × 500 events, 250 in common, each archiver in its own order and batch sizes.
    const sets = [shuffled(universe.slice(0, 500), next), shuffled(universe.slice(250), next)];
    const archivers = sets.map(() => createEventStore({ url }));
    const archive = async (archiver: EventStore, set: EventEnvelope[]) => {
      const results: AppendResult[] = [];
      for (let i = 0; i < set.length; ) {
        const size = 1 + next(60);
        results.push(await archiver.append(set.slice(i, i + size)));
        i += size;
      }
      return results;
    };
    try {
      const runs = await Promise.all(archivers.map((archiver, i) => archive(archiver, sets[i]!)));

      const appended = runs.flat().flatMap((result) => result.appended);
      expect(runs.flat().flatMap((result) => result.conflicts)).toEqual([]);
      expect(appended).toHaveLength(universe.length);
      expect(new Set(appended.map((e) => e.eventId)).size).toBe(universe.length);
      for (const run of runs) {
        // Each appender's positions rise in the order it wrote them.
        const positions = run.flatMap((result) => result.appended.map((e) => e.globalPosition));
        expect(positions).toEqual([...positions].sort((a, b) => a - b));
        // Every event it offered is either written by it or reported as already there.
        expect(run.flatMap((r) => [...r.appended.map((e) => e.eventId), ...r.duplicates]).length).toBe(500);
      }

      const stored = await documentsOf({ 'stream.id': { $regex: '^race-' } });
      expect(stored).toHaveLength(universe.length);
      expect(new Set(stored.map((d) => d['eventId'])).size).toBe(universe.length);
      expect(new Set(stored.map((d) => d['globalPosition'])).size).toBe(universe.length);
      for (let s = 0; s < streams; s++) {
        const versions = (await store.readStream('booking', `race-${s}`)).map((e) => e.streamVersion);
        expect(versions).toEqual(Array.from({ length: perStream }, (_, i) => i + 1));
      }
    } finally {
      await Promise.all(archivers.map((archiver) => archiver.close()));
    }
  });

  it('given 20 appenders of distinct events at once, when their position blocks may overlap (FerretDB), then every event is written once at a unique position', async () => {
    const appenders = Array.from({ length: 20 }, () => createEventStore({ url }));
    try {
      const batches = appenders.map((_, i) => streamOf(`blocks-${i}`, 25));
      const results = await Promise.all(appenders.map((appender, i) => appender.append(batches[i]!)));
      for (const [i, result] of results.entries()) {
        expect(result.duplicates).toEqual([]);
        expect(result.conflicts).toEqual([]);
        expect(result.appended.map((e) => e.eventId).sort()).toEqual(batches[i]!.map((e) => e.eventId).sort());
      }
      const stored = await documentsOf({ 'stream.id': { $regex: '^blocks-' } });
      expect(stored).toHaveLength(500);
      expect(new Set(stored.map((d) => d['globalPosition'])).size).toBe(500);
    } finally {
      await Promise.all(appenders.map((appender) => appender.close()));
    }
  });

  it('given one store appending 20 batches at once (an archiver consuming partitions in parallel), then the positions reserved are exactly the events written: no holes', async () => {
    const before = await store.highWaterMark();
    const batches = Array.from({ length: 20 }, (_, i) => streamOf(`turns-${i}`, 25));

    const results = await Promise.all(batches.map((batch) => store.append(batch)));

    expect(results.flatMap((result) => result.appended)).toHaveLength(500);
    // A hole is a position a live projection waits on; racing reservations of one process left some.
    expect((await store.highWaterMark()) - before).toBe(500);
    const positions = results.flatMap((result) => result.appended.map((e) => e.globalPosition)).sort((a, b) => a - b);
    expect(positions.at(-1)! - positions[0]!).toBe(499);
  });

  it('given 20 writers expecting version 5 of one stream, when they append concurrently, then exactly one wins and the others get ExpectedVersionConflict', async () => {
    await store.append(streamOf('occ-1', 5));
    const writers = Array.from({ length: 20 }, () => createEventStore({ url }));
    try {
      const results = await Promise.all(writers.map((writer) => writer.append([event('occ-1', 6), event('occ-1', 7)], { expectedVersion: 5 })));
      const winners = results.filter((result) => result.appended.length > 0);
      expect(winners).toHaveLength(1);
      expect(winners[0]!.appended.map((e) => e.streamVersion)).toEqual([6, 7]);
      const losers = results.filter((result) => result.appended.length === 0);
      expect(losers).toHaveLength(19);
      for (const loser of losers) {
        expect(loser.conflicts).toHaveLength(1);
        expect(loser.conflicts[0]).toMatchObject({ kind: 'ExpectedVersionConflict', stream: { type: 'booking', id: 'occ-1' }, expectedVersion: 5 });
        expect(loser.conflicts[0]!.actualVersion).toBeGreaterThanOrEqual(6);
      }
      const versions = (await store.readStream('booking', 'occ-1')).map((e) => e.streamVersion);
      expect(versions).toEqual([1, 2, 3, 4, 5, 6, 7]);
      expect(await store.streamHead({ type: 'booking', id: 'occ-1' })).toBe(7);
    } finally {
      await Promise.all(writers.map((writer) => writer.close()));
    }
  });

  it('given a stale expected version, when appending, then nothing is written and the conflict names the actual version', async () => {
    await store.append(streamOf('occ-2', 3));
    const late = event('occ-2', 3);
    const result = await store.append([late], { expectedVersion: 2 });
    expect(result.appended).toEqual([]);
    expect(result.conflicts).toEqual([
      { kind: 'ExpectedVersionConflict', eventId: late.eventId, stream: { type: 'booking', id: 'occ-2' }, streamVersion: 3, expectedVersion: 2, actualVersion: 3 },
    ]);
    expect(await documentsOf({ eventId: late.eventId })).toHaveLength(0);
    const fresh = event('occ-3', 1);
    expect((await store.append([fresh], { expectedVersion: 'no-stream' })).appended).toHaveLength(1);
    expect((await store.append([event('occ-3', 1)], { expectedVersion: 'no-stream' })).conflicts[0]).toMatchObject({ expectedVersion: 'no-stream', actualVersion: 1 });
  });

  it('given an expected-version append that already succeeded, when it is retried, then it reports duplicates, not a conflict', async () => {
    await store.append(streamOf('occ-4', 2));
    const batch = [event('occ-4', 3), event('occ-4', 4)];
    await store.append(batch, { expectedVersion: 2 });
    const retried = await store.append(batch, { expectedVersion: 2 });
    expect(retried).toEqual({ appended: [], duplicates: batch.map((e) => e.eventId), conflicts: [] });
  });

  it('given events of several streams, when read by stream and by position, then each comes in order and pages join up without overlap', async () => {
    const from = await store.highWaterMark();
    const a = streamOf('read-a', 7);
    const b = streamOf('read-b', 5);
    for (let i = 0; i < 7; i++) await store.append([a[i]!, ...(b[i] ? [b[i]!] : [])]);

    const streamA = await store.readStream('booking', 'read-a');
    expect(streamA.map((e) => e.streamVersion)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect((await store.readStream('booking', 'read-a', { fromVersion: 3, limit: 2 })).map((e) => e.streamVersion)).toEqual([3, 4]);
    expect(streamA[0]).toMatchObject({ ...a[0], recordedAt: expect.any(String) });

    const pages: number[][] = [];
    let after: number | null = null;
    for (;;) {
      const page = await store.readStreamPage('booking', 'read-b', { first: 2, after });
      pages.push(page.nodes.map((e) => e.streamVersion));
      if (!page.pageInfo.hasNextPage) break;
      after = Number(page.pageInfo.endCursor);
    }
    expect(pages).toEqual([[1, 2], [3, 4], [5]]);

    const all: number[] = [];
    let position = from;
    for (;;) {
      const page = await store.readAll({ after: position, limit: 5 });
      if (page.length === 0) break;
      all.push(...page.map((e) => e.globalPosition));
      position = page.at(-1)!.globalPosition;
    }
    expect(all).toHaveLength(12);
    expect(all).toEqual([...all].sort((x, y) => x - y));
    expect(new Set(all).size).toBe(12);
    expect(await store.highWaterMark()).toBeGreaterThanOrEqual(all.at(-1)!);

    const iterated: number[] = [];
    for await (const stored of store.iterateAll({ after: from, batchSize: 4 })) iterated.push(stored.globalPosition);
    expect(iterated).toEqual(all);
  });

  it('given a v1 document of an event that now has a v2, when read, then it arrives upcast while the stored document stays v1', async () => {
    const old = event('upcast-1', 1, { type: 'TestRenamed', schemaVersion: 1, payload: { name: 'Ada' } });
    await store.append([old]);
    const [read] = await store.readStream('booking', 'upcast-1');
    expect(read).toMatchObject({ eventId: old.eventId, schemaVersion: 2, payload: { displayName: 'Ada', tier: 'standard' } });
    const [fromAll] = await store.readAll({ after: read!.globalPosition - 1, limit: 1 });
    expect(fromAll!.payload).toEqual({ displayName: 'Ada', tier: 'standard' });
    expect(await documentsOf({ eventId: old.eventId })).toMatchObject([{ schemaVersion: 1, payload: { name: 'Ada' } }]);
  });

  it('given events this process appended, when read with the high-water mark, then the page from memory equals the query, and anything it lacks comes from the store', async () => {
    const mark = await store.highWaterMark();
    const renamed = event('recent-1', 1, { type: 'TestRenamed', schemaVersion: 1, payload: { name: 'Grace', nested: { list: [1, 2.5, 'x'] } } });
    // Fields a newer producer added (top level, in the stream) are stored; neither read answers them.
    const newer = { ...renamed, addedLater: 'x', stream: { ...renamed.stream, shard: 7 } } as EventEnvelope;
    await store.append([newer, ...streamOf('recent-2', 6)]);
    const upTo = await store.highWaterMark();
    for (const [after, limit] of [[mark, 3], [mark, 100], [mark + 2, 4], [upTo, 5]] as const) {
      expect(await store.readAll({ after, limit, upTo })).toEqual(await store.readAll({ after, limit }));
    }
    expect((await store.readAll({ after: mark, limit: 1, upTo }))[0]!.payload).toEqual({ displayName: 'Grace', tier: 'standard' });
    // Every reader of a page from memory (each projection) gets the one event, checked and upcast once.
    const [first, again] = [await store.readAll({ after: mark, limit: 100, upTo }), await store.readAll({ after: mark, limit: 100, upTo })];
    expect(again).toHaveLength(7);
    again.forEach((event, i) => expect(event).toBe(first[i]));

    // Another process's events (and positions this one never wrote) are not in its memory: the store answers.
    const other = createEventStore({ url, upcasters });
    try {
      await other.append(streamOf('recent-3', 3));
      const later = await store.highWaterMark();
      const expected = await store.readAll({ after: mark, limit: 100 });
      expect(expected.map((e) => e.globalPosition).at(-1)).toBe(later);
      expect(await store.readAll({ after: mark, limit: 100, upTo: later })).toEqual(expected);
      expect(await other.readAll({ after: mark, limit: 100, upTo: later })).toEqual(expected);
    } finally {
      await other.close();
    }
    const off = createEventStore({ url, upcasters, recentEvents: 0 });
    try {
      await off.append(streamOf('recent-4', 2));
      const last = await off.highWaterMark();
      expect(await off.readAll({ after: last - 2, limit: 10, upTo: last })).toEqual(await off.readAll({ after: last - 2, limit: 10 }));
    } finally {
      await off.close();
    }
  });

  it('given envelopes already checked in this process, then appending and reading them back from memory checks none again; unchecked ones are checked once on append, and an invalid one is refused', async () => {
    const envelopeChecks = jest.spyOn(envelopeSchema, 'safeParse');
    const documentChecks = jest.spyOn(eventDocumentSchema, 'safeParse');
    try {
      const mark = await store.highWaterMark();
      // As the archiver has them: parsed from the message text.
      const parsed = streamOf('checked-1', 3).map((made) => {
        const read = parseEnvelope(JSON.stringify(made));
        if (!read.ok) throw new Error(read.reason);
        return read.value;
      });
      envelopeChecks.mockClear();
      await store.append(parsed);
      const fromMemory = await store.readAll({ after: mark, limit: 10, upTo: await store.highWaterMark() });
      expect(fromMemory.map((e) => e.eventId)).toEqual(parsed.map((e) => e.eventId));
      expect([envelopeChecks.mock.calls.length, documentChecks.mock.calls.length]).toEqual([0, 0]);

      // Plain objects (a restore's, a script's): each checked once on the way in, not again when read from memory.
      const plain = streamOf('checked-2', 2).map((made) => ({ ...made }));
      const before = await store.highWaterMark();
      envelopeChecks.mockClear();
      await store.append(plain);
      await store.readAll({ after: before, limit: 10, upTo: await store.highWaterMark() });
      expect([envelopeChecks.mock.calls.length, documentChecks.mock.calls.length]).toEqual([2, 0]);

      // Read by another process, from the server: every document is checked.
      const other = createEventStore({ url, upcasters });
      try {
        await other.readAll({ after: mark, limit: 10 });
      } finally {
        await other.close();
      }
      expect(documentChecks.mock.calls.length).toBe(5);

      await expect(store.append([{ ...plain[0]!, eventId: 'not-a-uuid' }])).rejects.toThrow('eventId');
    } finally {
      envelopeChecks.mockRestore();
      documentChecks.mockRestore();
    }
  });

  it('given the server answers, when pinged, then readiness holds', async () => {
    await expect(store.ping()).resolves.toBeUndefined();
  });
});
