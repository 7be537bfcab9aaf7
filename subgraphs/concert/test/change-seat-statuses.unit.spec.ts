import { randomUUID } from 'node:crypto';
import { changeSeatStatuses } from '../src/application/change-seat-statuses.command';
import type { SeatMapCache } from '../src/application/ports';
import type { SeatStatus } from '../src/domain/catalog';

function setUp(changed: number) {
  const calls: string[] = [];
  const store = {
    setSeatStatuses: async (scheduleId: string, seatIds: readonly string[], status: SeatStatus) => {
      calls.push(`store ${scheduleId} ${seatIds.join(',')} ${status}`);
      return changed;
    },
  };
  const cache: SeatMapCache = {
    read: async () => ({ map: null, generation: 0 }),
    writeIfCurrent: async () => true,
    invalidate: async (ids) => {
      calls.push(`invalidate ${ids.join(',')}`);
    },
  };
  return { calls, change: changeSeatStatuses({ store, cache }) };
}

describe('changing seat statuses in the catalog', () => {
  const scheduleId = randomUUID();
  const seatId = randomUUID();

  it('given seats that change, when applied, then PostgreSQL is written before the seat map is invalidated', async () => {
    const { calls, change } = setUp(1);

    const result = await change({ scheduleId, seatIds: [seatId.toUpperCase(), seatId, 'not-a-seat'], status: 'HELD' });

    expect(result).toEqual({ kind: 'SeatStatusesChanged', changed: 1 });
    expect(calls).toEqual([`store ${scheduleId} ${seatId} HELD`, `invalidate ${scheduleId}`]);
  });

  it('given seats already in that status (a redelivered event), when applied, then nothing is invalidated', async () => {
    const { calls, change } = setUp(0);

    await change({ scheduleId, seatIds: [seatId], status: 'SOLD' });

    expect(calls).toEqual([`store ${scheduleId} ${seatId} SOLD`]);
  });

  it('given ids that are not UUIDs, when applied, then the database is not asked', async () => {
    const { calls, change } = setUp(0);

    expect(await change({ scheduleId: 'x', seatIds: [seatId], status: 'SOLD' })).toEqual({ kind: 'SeatStatusesChanged', changed: 0 });
    expect(await change({ scheduleId, seatIds: ['y'], status: 'SOLD' })).toEqual({ kind: 'SeatStatusesChanged', changed: 0 });
    expect(calls).toEqual([]);
  });
});
