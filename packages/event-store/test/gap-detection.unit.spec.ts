import { takeContiguous, type PendingGap } from '../src/gap-detection';

const at = (seconds: number) => new Date(Date.UTC(2026, 11, 3, 10, 0, seconds));
const events = (...positions: number[]) => positions.map((globalPosition) => ({ globalPosition }));
const base = { checkpoint: 0, highWaterMark: 0, pendingGap: null, now: at(0), maxGapWaitMs: 2_000 };

describe('takeContiguous (gap-aware reading)', () => {
  it('given positions without holes, when read, then all are handed out and the checkpoint is the last', () => {
    const outcome = takeContiguous({ ...base, page: events(1, 2, 3), highWaterMark: 3 });
    expect(outcome).toEqual({ events: events(1, 2, 3), checkpoint: 3, pendingGap: null, skipped: [] });
  });

  it('given a hole first seen now, when read, then events before it are handed out and the reader waits on it', () => {
    const outcome = takeContiguous({ ...base, page: events(1, 2, 5, 6), highWaterMark: 6 });
    expect(outcome.events).toEqual(events(1, 2));
    expect(outcome.checkpoint).toBe(2);
    expect(outcome.pendingGap).toEqual({ from: 3, to: 4, noticedAt: at(0) });
  });

  it('given a hole that fills before the wait ends, when read again, then nothing is skipped', () => {
    const pendingGap: PendingGap = { from: 3, to: 4, noticedAt: at(0) };
    const outcome = takeContiguous({ ...base, checkpoint: 2, page: events(3, 4, 5), highWaterMark: 5, pendingGap, now: at(1) });
    expect(outcome).toEqual({ events: events(3, 4, 5), checkpoint: 5, pendingGap: null, skipped: [] });
  });

  it('given a hole still missing within the wait, when read again, then the reader keeps waiting with the first notice time', () => {
    const pendingGap: PendingGap = { from: 3, to: 4, noticedAt: at(0) };
    const outcome = takeContiguous({ ...base, checkpoint: 2, page: events(5), highWaterMark: 5, pendingGap, now: at(1) });
    expect(outcome).toEqual({ events: [], checkpoint: 2, pendingGap, skipped: [] });
  });

  it('given a hole missing for the whole wait, when read again, then it is skipped as a gap and reading goes on', () => {
    const pendingGap: PendingGap = { from: 3, to: 4, noticedAt: at(0) };
    const outcome = takeContiguous({ ...base, checkpoint: 2, page: events(5, 6), highWaterMark: 6, pendingGap, now: at(2) });
    expect(outcome).toEqual({ events: events(5, 6), checkpoint: 6, pendingGap: null, skipped: [{ from: 3, to: 4 }] });
  });

  it('given half of a waited-on hole filled, when read again, then the rest keeps its original clock', () => {
    const pendingGap: PendingGap = { from: 3, to: 4, noticedAt: at(0) };
    const outcome = takeContiguous({ ...base, checkpoint: 2, page: events(3, 5), highWaterMark: 5, pendingGap, now: at(1) });
    expect(outcome.events).toEqual(events(3));
    expect(outcome.pendingGap).toEqual({ from: 4, to: 4, noticedAt: at(0) });
  });

  it('given positions reserved after the notice, when the old hole expires, then only what was noticed is skipped', () => {
    // Noticed 3..4 at the tail; 5..6 were reserved later and are still in flight.
    const pendingGap: PendingGap = { from: 3, to: 4, noticedAt: at(0) };
    const outcome = takeContiguous({ ...base, checkpoint: 2, page: events(7), highWaterMark: 7, pendingGap, now: at(3) });
    expect(outcome.skipped).toEqual([{ from: 3, to: 4 }]);
    expect(outcome.checkpoint).toBe(4);
    expect(outcome.events).toEqual([]);
    expect(outcome.pendingGap).toEqual({ from: 5, to: 6, noticedAt: at(3) });
  });

  it('given reserved positions not yet visible at the tail, when read, then their clock starts now', () => {
    const outcome = takeContiguous({ ...base, page: events(1), highWaterMark: 3 });
    expect(outcome.events).toEqual(events(1));
    expect(outcome.pendingGap).toEqual({ from: 2, to: 3, noticedAt: at(0) });
  });

  it('given a tail hole that expired, when the next event arrives, then it is handed out at once', () => {
    const pendingGap: PendingGap = { from: 2, to: 3, noticedAt: at(0) };
    const outcome = takeContiguous({ ...base, checkpoint: 1, page: events(4), highWaterMark: 4, pendingGap, now: at(5) });
    expect(outcome).toEqual({ events: events(4), checkpoint: 4, pendingGap: null, skipped: [{ from: 2, to: 3 }] });
  });

  it('given events at or below the checkpoint, when read, then they are not handed out twice', () => {
    const outcome = takeContiguous({ ...base, checkpoint: 2, page: events(1, 2, 3), highWaterMark: 3 });
    expect(outcome.events).toEqual(events(3));
  });
});
