import type { StoredEvent } from '@ticketing/event-store';
import { createDoorbell } from '../src/application/doorbell';
import { createProjectionRunner } from '../src/application/projection-runner';

/*
 * How often a caught-up projection goes back to the store while its archiver keeps ringing: each
 * round is a high-water-mark read, a page read, an apply and a checkpoint write, so rounds are
 * counted (fake timers, no wall clock).
 */
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined, child: () => silent } as never;

function storeOf(events: StoredEvent[]) {
  const counts = { rounds: 0, pages: 0, applied: 0 };
  const source = {
    highWaterMark: async () => {
      counts.rounds += 1;
      return events.length;
    },
    readAll: async ({ after, limit }: { after: number; limit: number }) => {
      counts.pages += 1;
      return events.filter((event) => event.globalPosition > after).slice(0, limit);
    },
  };
  return { source, counts };
}

const event = (globalPosition: number) => ({ globalPosition }) as unknown as StoredEvent;

function runnerFor(source: ReturnType<typeof storeOf>['source'], counts: { applied: number }, bell: ReturnType<ReturnType<typeof createDoorbell>['bell']>, minRoundIntervalMs: number) {
  let checkpoint = 0;
  return createProjectionRunner({
    projection: { name: 'spec', apply: async (events) => void (counts.applied += events.length) },
    source,
    checkpoints: { load: async () => checkpoint, save: async (_name, position) => void (checkpoint = position) },
    lease: { acquire: async () => true, renew: async () => true, release: async () => undefined },
    logger: silent,
    batchSize: 500,
    pollMs: 60_000,
    bell,
    minRoundIntervalMs,
    maxGapWaitMs: 0,
    renewEveryMs: 60_000,
  });
}

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

it.each([
  // 20 rings 10 ms apart (an archiver storing a batch every 10 ms for 200 ms).
  [500, 2],
  [0, 20],
])('given 20 archived batches rung 10 ms apart, with a least interval of %d ms, then the projection makes %d rounds after the first and applies every event', async (interval, rounds) => {
  const events: StoredEvent[] = [];
  const { source, counts } = storeOf(events);
  const doorbell = createDoorbell();
  const runner = runnerFor(source, counts, doorbell.bell(), interval);
  const stop = new AbortController();
  const running = runner.run(stop.signal);
  await jest.advanceTimersByTimeAsync(1);
  expect(counts.rounds).toBe(1);

  for (let batch = 1; batch <= 20; batch += 1) {
    events.push(event(batch));
    doorbell.ring();
    await jest.advanceTimersByTimeAsync(10);
  }
  await jest.advanceTimersByTimeAsync(2_000);

  expect(counts.rounds - 1).toBe(rounds);
  expect(counts.applied).toBe(20);
  stop.abort();
  await jest.advanceTimersByTimeAsync(1);
  await running;
});
