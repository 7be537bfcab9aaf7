import { randomUUID } from 'node:crypto';
import { seatNews, type CommittedSeatChange } from '../src/application/seat-news';
import type { Seat, SeatStatus } from '../src/domain/catalog';

const at = new Date('2031-05-01T10:00:00.000Z');
const seatOf = (scheduleId: string, number: number, status: SeatStatus = 'HELD'): Seat => ({ id: `seat-${number}`, scheduleId, section: 'A', row: '1', number, price: 99_000, status });
const committed = (scheduleId: string, status: SeatStatus, sequence: number, numbers: number[]): CommittedSeatChange => {
  const seats = numbers.map((number) => seatOf(scheduleId, number, status));
  return { change: { scheduleId, seatIds: seats.map((seat) => seat.id), status, sequence }, seats };
};

/** seatNews with a turn the test ends by hand, and every call its Redis side receives. */
function setUp(options: { cacheFails?: boolean } = {}) {
  const calls: string[] = [];
  const turns: Array<() => void> = [];
  const answers: Array<() => void> = [];
  const news = seatNews({
    cache: {
      applyStatusChanges: (changes) =>
        new Promise<void>((resolve, reject) => {
          calls.push(`cache ${changes.map((c) => `${c.status}@${c.sequence}:${c.seatIds.join('+')}`).join(' ')}`);
          answers.push(options.cacheFails ? () => reject(new Error('redis went away')) : resolve);
        }),
    },
    publisher: { publish: async (scheduleId, seats, when) => void calls.push(`publish ${scheduleId} ${seats.map((s) => `${s.number}:${s.status}`).join(',')} ${when.toISOString()}`) },
    now: () => at,
    nextTurn: (send) => void turns.push(send),
  });
  // Answers every cache call made so far.
  return { news, calls, endTurn: () => turns.splice(0).forEach((send) => send()), answerCache: () => answers.splice(0).forEach((answer) => answer()) };
}

describe('the news of committed seat changes', () => {
  it('given changes told in one turn, then the cache takes them in one call and the schedule hears one message, each seat as the largest sequence left it', async () => {
    const { news, calls, endTurn, answerCache } = setUp();
    const scheduleId = randomUUID();

    const told = [
      news(committed(scheduleId, 'HELD', 11, [1, 2])),
      news(committed(scheduleId, 'SOLD', 14, [3])),
      // Told after it, but of an earlier sequence: seat 3 stays SOLD in the message as in the cache.
      news(committed(scheduleId, 'AVAILABLE', 12, [1, 3])),
    ];
    expect(calls).toEqual([]);

    endTurn();

    // The message goes out right after the cache call, without waiting for its answer.
    expect(calls).toEqual([`cache HELD@11:seat-1+seat-2 SOLD@14:seat-3 AVAILABLE@12:seat-1+seat-3`, `publish ${scheduleId} 1:AVAILABLE,2:HELD,3:SOLD ${at.toISOString()}`]);
    let settled = false;
    void Promise.all(told).then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    answerCache();
    await Promise.all(told);
  });

  it('given changes of two schedules in one turn, then each schedule has its own cache call and message', async () => {
    const { news, calls, endTurn, answerCache } = setUp();
    const [one, two] = [randomUUID(), randomUUID()];

    const told = [news(committed(one, 'HELD', 1, [1])), news(committed(two, 'HELD', 2, [1])), news(committed(one, 'SOLD', 3, [2]))];
    endTurn();

    expect(calls).toEqual([
      'cache HELD@1:seat-1 SOLD@3:seat-2',
      `publish ${one} 1:HELD,2:SOLD ${at.toISOString()}`,
      'cache HELD@2:seat-1',
      `publish ${two} 1:HELD ${at.toISOString()}`,
    ]);
    answerCache();
    await Promise.all(told);
  });

  it('given changes told in two turns, then each turn is sent on its own', async () => {
    const { news, calls, endTurn, answerCache } = setUp();
    const scheduleId = randomUUID();

    const first = news(committed(scheduleId, 'HELD', 1, [1]));
    endTurn();
    answerCache();
    await first;
    const second = news(committed(scheduleId, 'SOLD', 2, [1]));
    endTurn();
    answerCache();
    await second;

    expect(calls).toEqual([`cache HELD@1:seat-1`, `publish ${scheduleId} 1:HELD ${at.toISOString()}`, `cache SOLD@2:seat-1`, `publish ${scheduleId} 1:SOLD ${at.toISOString()}`]);
  });

  it('given the cache call fails, then every change told in that turn is told the failure (each after-commit step logs it)', async () => {
    const { news, endTurn, answerCache } = setUp({ cacheFails: true });
    const scheduleId = randomUUID();

    const told = [news(committed(scheduleId, 'HELD', 1, [1])), news(committed(scheduleId, 'HELD', 2, [2]))];
    endTurn();
    answerCache();

    for (const one of told) await expect(one).rejects.toThrow('redis went away');
  });
});
