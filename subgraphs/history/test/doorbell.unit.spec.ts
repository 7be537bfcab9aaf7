import { createDoorbell } from '../src/application/doorbell';

const HOUR = 3_600_000;

describe('the doorbell that wakes projection runners', () => {
  it('given two runners napping for an hour, when the archiver rings, then both naps end', async () => {
    const doorbell = createDoorbell();
    const signal = new AbortController().signal;
    const naps = [doorbell.bell().nap(HOUR, signal), doorbell.bell().nap(HOUR, signal)];

    doorbell.ring();

    await expect(Promise.all(naps)).resolves.toEqual([undefined, undefined]);
  });

  it('given a ring while the runner was busy, then its next nap ends at once, and the one after that lasts', async () => {
    jest.useFakeTimers();
    try {
      const doorbell = createDoorbell();
      const bell = doorbell.bell();
      const signal = new AbortController().signal;
      doorbell.ring();

      await bell.nap(HOUR, signal);
      let woke = false;
      const second = bell.nap(HOUR, signal).then(() => (woke = true));
      await Promise.resolve();
      expect(woke).toBe(false);
      jest.advanceTimersByTime(HOUR);
      await second;
      expect(woke).toBe(true);
    } finally {
      jest.useRealTimers();
    }
  });

  it('given the runner stopping, when its signal aborts, then the nap ends', async () => {
    const stop = new AbortController();
    const nap = createDoorbell().bell().nap(HOUR, stop.signal);
    stop.abort();
    await expect(nap).resolves.toBeUndefined();
  });
});
