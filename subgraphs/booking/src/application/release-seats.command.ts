import type { Viewer } from '@ticketing/platform';
import type { DuplicateSeats, NoSeats, TooManySeats } from '../domain/booking';
import { checkBlockSelection, release, type SeatsNotBlocked } from '../domain/seat-block';
import type { BookingWriter, Causation, SeatLocks } from './ports';
import { publishSeatBlockSteps } from './record-transition';
import { acquireSeatLocks, seatsNotBlockedNow } from './seat-locks-for-admins';

export interface ReleaseSeatsInput {
  scheduleId: string;
  seatIds: readonly string[];
}

export type ReleaseSeatsResult =
  | { kind: 'Released'; seatIds: readonly string[] }
  | NoSeats
  | TooManySeats
  | DuplicateSeats
  | SeatsNotBlocked
  /** The seats' locks stayed busy (a hold or block of them in flight): nothing released. */
  | { kind: 'SeatsBusy' };

/**
 * releaseSeats (admins): puts blocked seats back on sale, all or none. Under the seats' locks
 * and in one transaction with the blocks row-locked: the claims end, each block touched
 * publishes SeatsReleased on its own stream, and the seats can be held again at once.
 */
export function releaseSeats(deps: { writer: BookingWriter; locks: SeatLocks; now?: () => Date }) {
  const now = deps.now ?? (() => new Date());
  return async (admin: Viewer, input: ReleaseSeatsInput, causation: Causation): Promise<ReleaseSeatsResult> => {
    const badSelection = checkBlockSelection(input.seatIds);
    if (badSelection) return badSelection;
    const seatIds = [...input.seatIds].sort();
    const locked = await acquireSeatLocks(deps.locks, input.scheduleId, seatIds, () => seatsNotBlockedNow(deps.writer, input.scheduleId, seatIds));
    if (locked.kind === 'Taken') return { kind: 'SeatsNotBlocked', seatIds: locked.seatIds };
    if (locked.kind === 'Busy') return { kind: 'SeatsBusy' };
    const { lock } = locked;
    try {
      return await deps.writer.transaction(async (tx): Promise<ReleaseSeatsResult> => {
        const blocked = await tx.lockBlockClaims(input.scheduleId, seatIds);
        const decided = release({ scheduleId: input.scheduleId, seatIds, releasedBy: admin.userId }, blocked, now());
        if (decided.kind !== 'Released') return decided;
        for (const step of decided.steps) await tx.applyRelease(step);
        await publishSeatBlockSteps(tx, decided.steps, causation);
        return { kind: 'Released', seatIds };
      });
    } finally {
      await lock.release();
    }
  };
}
