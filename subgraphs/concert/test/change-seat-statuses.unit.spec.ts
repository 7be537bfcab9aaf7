import { randomUUID } from 'node:crypto';
import { changeSeatStatuses } from '../src/application/change-seat-statuses.command';
import type { SeatStatusProjection } from '../src/application/ports';
import type { Seat } from '../src/domain/catalog';
import type { SeatStatusChange } from '../src/domain/seat-projection';

const scheduleId = randomUUID();
const seat = (row: string, number: number): Seat => ({ id: randomUUID(), scheduleId, section: 'A', row, number, price: 99_000, status: 'HELD' });
const at = new Date('2031-05-01T10:00:00.000Z');

function setUp(changed: Seat[]) {
  const calls: string[] = [];
  const projection: SeatStatusProjection = {
    apply: async (change) => {
      calls.push(`apply ${change.status}@${change.sequence}`);
      return [...changed];
    },
  };
  const change = changeSeatStatuses({
    cache: { applyStatusChange: async (applied) => void calls.push(`cache ${applied.status}@${applied.sequence} ${applied.seatIds.join(',')}`) },
    publisher: { publish: async (id, seats, when) => void calls.push(`publish ${id} ${seats.map((s) => `${s.row}-${s.number}`).join(',')} ${when.toISOString()}`) },
    now: () => at,
  });
  return { calls, projection, change };
}

const held: SeatStatusChange = { scheduleId, seatIds: [randomUUID()], status: 'HELD', sequence: 4 };

describe('changing seat statuses in the catalog', () => {
  it('given seats that change, when applied, then nothing leaves the transaction until after the commit, and then the cache takes the change (for the seats that took it) before the news', async () => {
    const [tenOne, nineTwo] = [seat('10', 1), seat('9', 2)];
    const { calls, projection, change } = setUp([tenOne, nineTwo]);

    const result = await change(held, projection);

    expect(calls).toEqual(['apply HELD@4']);
    if (result.kind !== 'SeatStatusesChanged') throw new Error(`expected SeatStatusesChanged, got ${result.kind}`);
    expect(result.seats.map((s) => `${s.row}-${s.number}`)).toEqual(['9-2', '10-1']);

    await result.afterCommit();

    expect(calls).toEqual(['apply HELD@4', `cache HELD@4 ${nineTwo.id},${tenOne.id}`, `publish ${scheduleId} 9-2,10-1 ${at.toISOString()}`]);
  });

  it('sends the news right after the cache change, without waiting for the cache to answer (one Redis write for both; Redis keeps their order)', async () => {
    const calls: string[] = [];
    let answerCache = () => undefined as void;
    const change = changeSeatStatuses({
      cache: { applyStatusChange: () => new Promise<void>((resolve) => (calls.push('cache'), (answerCache = resolve))) },
      publisher: { publish: async () => void calls.push('publish') },
      now: () => at,
    });
    const result = await change(held, { apply: async () => [seat('1', 1)] });
    if (result.kind !== 'SeatStatusesChanged') throw new Error(result.kind);

    const done = result.afterCommit();
    expect(calls).toEqual(['cache', 'publish']);
    answerCache();
    await done;
  });

  it('given no seat takes the change (a late or repeated event), then there is nothing to do after the commit', async () => {
    const { calls, projection, change } = setUp([]);

    expect(await change(held, projection)).toEqual({ kind: 'NothingChanged' });
    expect(calls).toEqual(['apply HELD@4']);
  });
});
