import { randomUUID } from 'node:crypto';
import { changeSeatStatuses } from '../src/application/change-seat-statuses.command';
import type { SeatStatusProjection } from '../src/application/ports';
import type { CommittedSeatChange } from '../src/application/seat-news';
import type { Seat } from '../src/domain/catalog';
import type { SeatStatusChange } from '../src/domain/seat-projection';

const scheduleId = randomUUID();
const seat = (row: string, number: number): Seat => ({ id: randomUUID(), scheduleId, section: 'A', row, number, price: 99_000, status: 'HELD' });

function setUp(changed: Seat[]) {
  const calls: string[] = [];
  const told: CommittedSeatChange[] = [];
  const projection: SeatStatusProjection = {
    apply: async (change) => {
      calls.push(`apply ${change.status}@${change.sequence}`);
      return [...changed];
    },
  };
  const change = changeSeatStatuses({
    news: async (committed) => {
      calls.push('news');
      told.push(committed);
    },
  });
  return { calls, told, projection, change };
}

const held: SeatStatusChange = { scheduleId, seatIds: [randomUUID()], status: 'HELD', sequence: 4 };

describe('changing seat statuses in the catalog', () => {
  it('given seats that change, when applied, then nothing leaves the transaction until after the commit, and then the news names the seats that took the change, in display order', async () => {
    const [tenOne, nineTwo] = [seat('10', 1), seat('9', 2)];
    const { calls, told, projection, change } = setUp([tenOne, nineTwo]);

    const result = await change(held, projection);

    expect(calls).toEqual(['apply HELD@4']);
    if (result.kind !== 'SeatStatusesChanged') throw new Error(`expected SeatStatusesChanged, got ${result.kind}`);
    expect(result.seats.map((s) => `${s.row}-${s.number}`)).toEqual(['9-2', '10-1']);

    await result.afterCommit();

    expect(calls).toEqual(['apply HELD@4', 'news']);
    expect(told).toEqual([{ change: { ...held, seatIds: [nineTwo.id, tenOne.id] }, seats: [nineTwo, tenOne] }]);
  });

  it('given no seat takes the change (a late or repeated event), then there is nothing to do after the commit', async () => {
    const { calls, projection, change } = setUp([]);

    expect(await change(held, projection)).toEqual({ kind: 'NothingChanged' });
    expect(calls).toEqual(['apply HELD@4']);
  });
});
