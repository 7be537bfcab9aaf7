import { classifyRefusals, planAppend, slotKey } from '../src/append-outcome';
import { decodeCursor, encodeCursor, toPage } from '../src/cursor';
import { withDatabase } from '../src/connection';
import { event, streamOf } from './support';

describe('planAppend', () => {
  it('given an eventId twice in one batch, when planned, then the repeat is a duplicate and is not written', () => {
    const [a, b] = streamOf('s', 2);
    expect(planAppend([a!, b!, a!])).toEqual({ toWrite: [a, b], duplicates: [a!.eventId] });
  });

  it('given an expected version, when the batch is the next consecutive versions of one stream, then it is accepted', () => {
    const batch = [event('s', 6), event('s', 7)];
    expect(planAppend(batch, 5).toWrite).toEqual(batch);
    expect(planAppend([event('s', 1)], 'no-stream').toWrite).toHaveLength(1);
  });

  it('given an expected version, when the batch skips a version, starts elsewhere or mixes streams, then it throws', () => {
    expect(() => planAppend([event('s', 6), event('s', 8)], 5)).toThrow(RangeError);
    expect(() => planAppend([event('s', 7)], 5)).toThrow(RangeError);
    expect(() => planAppend([event('s', 6), event('t', 7)], 5)).toThrow(RangeError);
  });
});

describe('classifyRefusals', () => {
  const [stored, slot, position] = [event('s', 1), event('s', 2), event('s', 3)];

  it('given an event the first look-up missed but whose slot it holds itself (another archiver stored it in between), then it is a duplicate, not a conflict', () => {
    const outcome = classifyRefusals([slot!], { storedEventIds: new Set(), slotHolders: new Map([[slotKey(slot!.stream, 2), slot!.eventId]]) });
    expect(outcome.duplicates).toEqual([slot]);
    expect(outcome.slotTaken).toEqual([]);
  });

  it('given refused inserts, when classified, then a stored eventId is a duplicate, a held slot a conflict, else a position clash', () => {
    const outcome = classifyRefusals([stored!, slot!, position!], {
      storedEventIds: new Set([stored!.eventId]),
      slotHolders: new Map([[slotKey(slot!.stream, 2), 'another-event']]),
    });
    expect(outcome).toEqual({ duplicates: [stored], slotTaken: [slot], positionTaken: [position] });
  });

  it('given an event that is stored and holds its slot, when classified, then it is a duplicate, not a conflict', () => {
    const outcome = classifyRefusals([stored!], { storedEventIds: new Set([stored!.eventId]), slotHolders: new Map([[slotKey(stored!.stream, 1), stored!.eventId]]) });
    expect(outcome.duplicates).toEqual([stored]);
    expect(outcome.slotTaken).toEqual([]);
  });
});

describe('cursors and pages', () => {
  it('given a position, when encoded and decoded, then it round-trips as a decimal string', () => {
    expect(encodeCursor(9_007_199_254_740_991)).toBe('9007199254740991');
    expect(decodeCursor('9007199254740991')).toBe(9_007_199_254_740_991);
    expect(decodeCursor('0')).toBe(0);
  });

  it('given something that is not a position, when decoded, then it is refused', () => {
    for (const bad of ['', '-1', '1.5', '01', 'abc', '99999999999999999']) expect(decodeCursor(bad)).toBeNull();
  });

  it('given limit + 1 rows, when paged, then the extra row only says there is a next page', () => {
    expect(toPage([{ p: 1 }, { p: 2 }, { p: 3 }], 2, (row) => row.p)).toEqual({ nodes: [{ p: 1 }, { p: 2 }], pageInfo: { hasNextPage: true, endCursor: '2' } });
    expect(toPage([], 2, (row: { p: number }) => row.p)).toEqual({ nodes: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });
});

describe('withDatabase', () => {
  it('given a store URL, when another database is named, then server and options stay', () => {
    expect(withDatabase('mongodb://127.0.0.1:27017/ticketing_events', 'run_1')).toBe('mongodb://127.0.0.1:27017/run_1');
    expect(withDatabase('mongodb://mongo:27017/ticketing_events?appName=x', 'run_1')).toBe('mongodb://mongo:27017/run_1?appName=x');
    expect(withDatabase('mongodb://127.0.0.1:27017', 'run_1')).toBe('mongodb://127.0.0.1:27017/run_1');
  });
});
