import { releaseLocksOfEndedBookings, type CommittedStep } from '../src/application/release-ended-holds';

/**
 * A hold keeps its seat locks until they lapse; a booking that ends gives them back once its step
 * commits: one call per schedule, every ended booking's seats under its own id, nothing for a
 * step that leaves the seats claimed, and a failing Redis reported, never thrown at the command.
 */
const S1 = 'schedule-1';
const S2 = 'schedule-2';
const step = (bookingId: string, scheduleId: string, seatIds: string[], to: CommittedStep['to']): CommittedStep => ({ bookingId, scheduleId, seatIds, to });

function recordingLocks(fail = false) {
  const calls: Array<{ scheduleId: string; owned: ReadonlyArray<{ seatId: string; owner: string }> }> = [];
  return {
    calls,
    locks: {
      async releaseOwned(scheduleId: string, owned: ReadonlyArray<{ seatId: string; owner: string }>) {
        calls.push({ scheduleId, owned });
        if (fail) throw new Error('Connection is closed.');
      },
    },
  };
}

describe('giving back the seat locks of ended bookings', () => {
  it('given steps of a transaction, when some end their bookings, then each schedule gets one call naming every ended seat under its booking', async () => {
    const { locks, calls } = recordingLocks();
    const failures: unknown[] = [];
    await releaseLocksOfEndedBookings(locks, (error) => failures.push(error))([
      step('b1', S1, ['a', 'b'], 'CANCELLED'),
      step('b2', S1, ['c'], 'EXPIRED'),
      step('b3', S2, ['d'], 'REFUNDED'),
      step('b4', S1, ['e'], 'CONFIRMED'),
      step('b5', S1, ['f'], 'PAYMENT_PENDING'),
      step('b6', S2, ['g'], 'HELD'),
    ]);
    expect(calls).toEqual([
      { scheduleId: S1, owned: [{ seatId: 'a', owner: 'b1' }, { seatId: 'b', owner: 'b1' }, { seatId: 'c', owner: 'b2' }] },
      { scheduleId: S2, owned: [{ seatId: 'd', owner: 'b3' }] },
    ]);
    expect(failures).toEqual([]);
  });

  it('given steps that end nothing, then Redis is not asked at all', async () => {
    const { locks, calls } = recordingLocks();
    await releaseLocksOfEndedBookings(locks, () => undefined)([step('b1', S1, ['a'], 'HELD'), step('b2', S1, ['b'], 'CONFIRMED')]);
    expect(calls).toEqual([]);
  });

  it('given Redis failing, then the failure is reported and the step still counts as done (the locks lapse at their TTL)', async () => {
    const { locks } = recordingLocks(true);
    const failures: unknown[] = [];
    await expect(releaseLocksOfEndedBookings(locks, (error) => failures.push(error))([step('b1', S1, ['a'], 'CANCELLED')])).resolves.toBeUndefined();
    expect(failures).toHaveLength(1);
  });
});
