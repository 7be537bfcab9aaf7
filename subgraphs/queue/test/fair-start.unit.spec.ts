import { shuffle, type RandomInt } from '../src/domain/fair-start';

/** A small seeded generator (mulberry32), so the statistics below are the same on every run. */
function seeded(seed: number): RandomInt {
  let state = seed >>> 0;
  return (maxExclusive) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * maxExclusive);
  };
}

describe('shuffle (the opening draw)', () => {
  it('given arrivals, then it returns every one of them exactly once and leaves the input alone', () => {
    const arrivals = Array.from({ length: 1_000 }, (_, i) => `ticket-${i}`);
    const drawn = shuffle(arrivals, seeded(1));
    expect([...drawn].sort()).toEqual([...arrivals].sort());
    expect(arrivals[0]).toBe('ticket-0');
    expect(drawn).not.toEqual(arrivals);
  });

  it('asks the random source for j in [0, i] from the last position down (Fisher–Yates)', () => {
    const asked: number[] = [];
    shuffle(['a', 'b', 'c', 'd'], (n) => {
      asked.push(n);
      return 0;
    });
    expect(asked).toEqual([4, 3, 2]);
    // Always picking 0 rotates the first element to the end, step by step.
    expect(shuffle(['a', 'b', 'c', 'd'], () => 0)).toEqual(['b', 'c', 'd', 'a']);
  });

  it('handles the empty and the lone arrival', () => {
    expect(shuffle([], seeded(2))).toEqual([]);
    expect(shuffle(['only'], seeded(2))).toEqual(['only']);
  });

  it('gives every arrival the same chance of every place: early arrivals gain nothing', () => {
    const n = 5;
    const draws = 60_000;
    const counts = Array.from({ length: n }, () => new Array<number>(n).fill(0));
    const random = seeded(42);
    for (let d = 0; d < draws; d++) {
      shuffle([0, 1, 2, 3, 4], random).forEach((arrival, place) => counts[arrival]![place]!++);
    }
    // Expected 12,000 per cell; binomial sd ~98. 5% is five of them.
    for (const row of counts) for (const cell of row) expect(Math.abs(cell - draws / n)).toBeLessThan(0.05 * (draws / n));
  });
});
