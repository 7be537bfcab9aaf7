import { accumulate, HISTORY_LIMIT, linearScale, niceCeiling, percent, sectionSegments, stepPath, ticks, type Snapshot } from '../src/admin/chart.model';

const snapshot = (position: string, at: number, seatsSold: number, revenue = seatsSold * 50_000): Snapshot => ({ position, at, seatsSold, revenue, conversion: 0 });

describe('chart scaling', () => {
  it('given a domain and a range, then values map linearly, inverted ranges included (SVG y grows downwards)', () => {
    const y = linearScale([0, 100], [200, 0]);
    expect([y(0), y(50), y(100)]).toEqual([200, 100, 0]);
  });

  it('given a zero-width domain (one snapshot), then everything maps to the range start instead of dividing by zero', () => {
    expect(linearScale([5, 5], [10, 90])(5)).toBe(10);
  });

  it('rounds an axis up to 1, 2 or 5 × 10ⁿ, and never below 1', () => {
    expect([0, 1, 3, 7, 10, 11, 180, 250_001].map(niceCeiling)).toEqual([1, 1, 5, 10, 10, 20, 200, 500_000]);
  });

  it('gives whole, evenly spaced ticks without duplicates on a small axis', () => {
    expect(ticks(200)).toEqual([0, 50, 100, 150, 200]);
    expect(ticks(1)).toEqual([0, 1]);
  });

  it('draws a running total as steps: horizontal to the next time, then vertical only when the value changed', () => {
    const x = (at: number) => at;
    const y = (value: number) => 100 - value;
    expect(stepPath([{ at: 0, value: 0 }, { at: 10, value: 0 }, { at: 20, value: 3 }], x, y)).toBe('M0,100 H10 H20 V97');
    expect(stepPath([{ at: 5, value: 1 }], x, y)).toBe('M5,99 h1');
    expect(stepPath([], x, y)).toBe('');
  });

  it('splits a section into sold, held, blocked and available shares that add up to the whole bar', () => {
    const segments = sectionSegments({ section: 'Floor', seatsTotal: 10, seatsSold: 5, seatsHeld: 2, seatsBlocked: 1 });
    expect(segments.map((s) => [s.kind, s.count, s.start, s.width])).toEqual([
      ['sold', 5, 0, 0.5],
      ['held', 2, 0.5, 0.2],
      ['blocked', 1, 0.7, 0.1],
      ['available', 2, 0.8, 0.2],
    ]);
    expect(sectionSegments({ section: 'Empty', seatsTotal: 0, seatsSold: 0, seatsHeld: 0, seatsBlocked: 0 }).every((s) => s.width === 0)).toBe(true);
  });

  it('writes conversion as a percentage with one decimal at most', () => {
    expect([percent(0), percent(0.5), percent(1 / 3), percent(1.25)]).toEqual(['0%', '50%', '33.3%', '125%']);
  });
});

describe('accumulating pushed dashboards', () => {
  it('given pushes in order, then the history keeps each with its time', () => {
    const history = [snapshot('10', 1_000, 0), snapshot('12', 2_000, 1), snapshot('15', 3_000, 2)].reduce<Snapshot[]>(accumulate, []);
    expect(history.map((s) => [s.position, s.at, s.seatsSold])).toEqual([
      ['10', 1_000, 0],
      ['12', 2_000, 1],
      ['15', 3_000, 2],
    ]);
  });

  it('given the same position again (a re-read after a reconnect), then it replaces the earlier one instead of repeating it', () => {
    const history = [snapshot('10', 1_000, 0), snapshot('12', 2_000, 1), snapshot('12', 2_500, 1)].reduce<Snapshot[]>(accumulate, []);
    expect(history.map((s) => [s.position, s.at])).toEqual([
      ['10', 1_000],
      ['12', 2_500],
    ]);
  });

  it('given a read that arrives after a newer push, then positions order the line, compared as numbers of any length', () => {
    const history = [snapshot('100', 3_000, 2), snapshot('99', 2_000, 1)].reduce<Snapshot[]>(accumulate, []);
    expect(history.map((s) => s.position)).toEqual(['99', '100']);
    const huge = [snapshot('18446744073709551617', 2_000, 1), snapshot('9', 1_000, 0)].reduce<Snapshot[]>(accumulate, []);
    expect(huge.map((s) => s.position)).toEqual(['9', '18446744073709551617']);
  });

  it('given a later position stamped earlier (producers clocks differ), then its time is pulled up so the line never folds back', () => {
    const history = [snapshot('10', 5_000, 1), snapshot('11', 4_000, 2)].reduce<Snapshot[]>(accumulate, []);
    expect(history.map((s) => s.at)).toEqual([5_000, 5_000]);
  });

  it('keeps the newest HISTORY_LIMIT snapshots of a long watch', () => {
    const history = Array.from({ length: HISTORY_LIMIT + 5 }, (_, n) => snapshot(String(n + 1), n, n)).reduce<Snapshot[]>(accumulate, []);
    expect(history).toHaveLength(HISTORY_LIMIT);
    expect(history[0]!.position).toBe('6');
  });
});
