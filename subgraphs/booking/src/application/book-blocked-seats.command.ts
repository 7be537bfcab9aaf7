import { randomUUID } from 'node:crypto';
import { MAX_SEATS_PER_BLOCK } from '@ticketing/contracts';
import type { Viewer } from '@ticketing/platform';
import { comp, type DuplicateSeats, type GuestNameRequired, type NoSeats, type TooManySeats } from '../domain/booking';
import { release, type SeatsNotBlocked } from '../domain/seat-block';
import { SeatsTaken, type BookingWriter, type Causation, type SeatLocks } from './ports';
import { publishSeatBlockSteps, recordComp } from './record-transition';
import { acquireSeatLocks, seatsNotBlockedNow } from './seat-locks-for-admins';

export interface BookBlockedSeatsInput {
  scheduleId: string;
  seatIds: readonly string[];
  guestName: string;
}

export type BookBlockedSeatsResult =
  | { kind: 'Comped'; bookingId: string }
  | NoSeats
  | TooManySeats
  | DuplicateSeats
  | GuestNameRequired
  /** Only blocked seats can be comped (a fan's hold or sale is never taken over). */
  | SeatsNotBlocked
  /** The seats' locks stayed busy (a hold or block of them in flight): nothing booked. */
  | { kind: 'SeatsBusy' };

/**
 * bookBlockedSeats (admins): a comp for a named guest, all seats or none. Under the seats'
 * Redis locks and in one transaction with their blocks row-locked: the seats leave their blocks
 * (each block touched publishes SeatsReleased), then the comp claims them under the same
 * one-live-claim index as any hold and publishes SeatsComped with a later seat sequence. A fan
 * can never slip in between: the block's claim ends and the comp's begins in one commit.
 */
export function bookBlockedSeats(deps: { writer: BookingWriter; locks: SeatLocks; now?: () => Date; newId?: () => string }) {
  const now = deps.now ?? (() => new Date());
  const newId = deps.newId ?? randomUUID;
  return async (admin: Viewer, input: BookBlockedSeatsInput, causation: Causation): Promise<BookBlockedSeatsResult> => {
    const at = now();
    const decided = comp({ bookingId: newId(), adminId: admin.userId, scheduleId: input.scheduleId, seatIds: input.seatIds, guestName: input.guestName, maxSeats: MAX_SEATS_PER_BLOCK }, at);
    if (decided.kind !== 'Transitioned') return decided;
    const { seatIds } = decided.booking;
    const locked = await acquireSeatLocks(deps.locks, input.scheduleId, seatIds, () => seatsNotBlockedNow(deps.writer, input.scheduleId, seatIds));
    if (locked.kind === 'Taken') return { kind: 'SeatsNotBlocked', seatIds: locked.seatIds };
    if (locked.kind === 'Busy') return { kind: 'SeatsBusy' };
    const { lock } = locked;
    try {
      return await deps.writer.transaction(async (tx): Promise<BookBlockedSeatsResult> => {
        const blocked = await tx.lockBlockClaims(input.scheduleId, seatIds);
        const released = release({ scheduleId: input.scheduleId, seatIds, releasedBy: admin.userId }, blocked, at);
        if (released.kind !== 'Released') return released;
        for (const step of released.steps) await tx.applyRelease(step);
        await publishSeatBlockSteps(tx, released.steps, causation);
        await recordComp(tx, decided, causation);
        return { kind: 'Comped', bookingId: decided.booking.id };
      });
    } catch (error) {
      // The blocks were row-locked and their claims just ended: only a bug could put another claim there.
      if (error instanceof SeatsTaken) throw new Error(`a comp found seat ${error.seatId ?? '?'} claimed after releasing its block`, { cause: error });
      throw error;
    } finally {
      await lock.release();
    }
  };
}
