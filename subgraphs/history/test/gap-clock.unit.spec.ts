import { createGapClock, takeAcrossGaps } from '../src/application/gap-clock';

const at = (positions: number[]) => positions.map((globalPosition) => ({ globalPosition }));
const T0 = new Date('2026-12-03T10:00:00.000Z');
const later = (ms: number) => new Date(T0.getTime() + ms);
const WAIT = 1_000;

describe('reading past holes in the positions', () => {
  it('given three holes seen at once, when one wait has passed, then all three are stepped over in one go', () => {
    const clock = createGapClock();
    const page = at([1, 3, 5, 7]);
    const read = (now: Date, checkpoint: number) => takeAcrossGaps(clock, { checkpoint, page, highWaterMark: 7, pageFull: false, now, maxGapWaitMs: WAIT });

    const first = read(T0, 0);
    expect(first.events.map((e) => e.globalPosition)).toEqual([1]);
    expect(first.pendingGap).toMatchObject({ from: 2, to: 2 });

    const second = read(later(WAIT), first.checkpoint);
    expect(second.events.map((e) => e.globalPosition)).toEqual([3, 5, 7]);
    expect(second.skipped).toEqual([
      { from: 2, to: 2 },
      { from: 4, to: 4 },
      { from: 6, to: 6 },
    ]);
    expect(second.checkpoint).toBe(7);
  });

  it('given a hole that was filled while waited for, then its event is handled and nothing is skipped', () => {
    const clock = createGapClock();
    takeAcrossGaps(clock, { checkpoint: 0, page: at([1, 3]), highWaterMark: 3, pageFull: false, now: T0, maxGapWaitMs: WAIT });

    const outcome = takeAcrossGaps(clock, { checkpoint: 1, page: at([2, 3]), highWaterMark: 3, pageFull: false, now: later(10), maxGapWaitMs: WAIT });

    expect(outcome.events.map((e) => e.globalPosition)).toEqual([2, 3]);
    expect(outcome.skipped).toEqual([]);
  });

  it('given a hole noticed later than the one before it, then it keeps its own, later deadline', () => {
    const clock = createGapClock();
    takeAcrossGaps(clock, { checkpoint: 0, page: at([1, 3]), highWaterMark: 3, pageFull: false, now: T0, maxGapWaitMs: WAIT });

    const outcome = takeAcrossGaps(clock, { checkpoint: 1, page: at([3, 5]), highWaterMark: 5, pageFull: false, now: later(WAIT), maxGapWaitMs: WAIT });

    expect(outcome.skipped).toEqual([{ from: 2, to: 2 }]);
    expect(outcome.events.map((e) => e.globalPosition)).toEqual([3]);
    expect(outcome.pendingGap).toMatchObject({ from: 4, noticedAt: later(WAIT) });
  });

  it('given a short page below the high-water mark, then the reserved tail starts its clock and an event after it is handled as soon as it expired', () => {
    const clock = createGapClock();
    takeAcrossGaps(clock, { checkpoint: 0, page: at([1]), highWaterMark: 4, pageFull: false, now: T0, maxGapWaitMs: WAIT });

    const outcome = takeAcrossGaps(clock, { checkpoint: 1, page: at([5]), highWaterMark: 5, pageFull: false, now: later(WAIT), maxGapWaitMs: WAIT });

    expect(outcome.skipped).toEqual([{ from: 2, to: 4 }]);
    expect(outcome.events.map((e) => e.globalPosition)).toEqual([5]);
    expect(outcome.checkpoint).toBe(5);
  });
});
