import { randomUUID } from 'node:crypto';
import type { Viewer } from '@ticketing/platform';
import type { DuplicateSeats, NoSeats, ReasonRequired, TooManySeats } from '../domain/booking';
import { block, checkBlockSelection, type SeatsUnavailable } from '../domain/seat-block';
import { SeatsTaken, type BookingWriter, type Causation, type SeatCatalog, type SeatLocks } from './ports';
import { publishSeatBlockSteps } from './record-transition';
import { acquireSeatLocks, claimedSeatsNow } from './seat-locks-for-admins';

export interface BlockSeatsInput {
  scheduleId: string;
  seatIds: readonly string[];
  reason: string;
}

export type BlockSeatsResult =
  | { kind: 'Blocked'; blockId: string; seatIds: readonly string[] }
  | NoSeats
  | TooManySeats
  | DuplicateSeats
  | ReasonRequired
  | { kind: 'UnknownSchedule' }
  | { kind: 'UnknownSeats'; seatIds: string[] }
  /** `seatIds`: the seats with a live claim, when known (a lock held by a fan's hold in flight names none). */
  | SeatsUnavailable;

/**
 * blockSeats (admins): holds seats back from sale, all or none. The same layers as a fan's hold,
 * so a block and a hold of one seat never both succeed: the Redis locks of those seats (when
 * refused, seats already claimed are named at once; an admin waits briefly for a hold in flight
 * instead of being turned away), then one
 * transaction that reads the live claims, decides, and writes the block's claims under the
 * one-live-claim index, with SeatsBlocked in the outbox.
 */
export function blockSeats(deps: { writer: BookingWriter; catalog: SeatCatalog; locks: SeatLocks; now?: () => Date; newId?: () => string }) {
  const now = deps.now ?? (() => new Date());
  const newId = deps.newId ?? randomUUID;
  return async (admin: Viewer, input: BlockSeatsInput, causation: Causation): Promise<BlockSeatsResult> => {
    const badSelection = checkBlockSelection(input.seatIds);
    if (badSelection) return badSelection;

    const terms = await deps.catalog.saleTerms(input.scheduleId, input.seatIds);
    if (!terms) return { kind: 'UnknownSchedule' };
    const unknown = input.seatIds.filter((id) => !terms.seatPrices.has(id));
    if (unknown.length > 0) return { kind: 'UnknownSeats', seatIds: unknown };

    const seatIds = [...input.seatIds].sort();
    const locked = await acquireSeatLocks(deps.locks, input.scheduleId, seatIds, () => claimedSeatsNow(deps.writer, seatIds));
    if (locked.kind !== 'Locked') return { kind: 'SeatsUnavailable', seatIds: locked.kind === 'Taken' ? locked.seatIds : [] };
    const { lock } = locked;
    try {
      return await deps.writer.transaction(async (tx): Promise<BlockSeatsResult> => {
        const claimed = await tx.claimedSeats(seatIds);
        const decided = block({ blockId: newId(), scheduleId: input.scheduleId, seatIds, reason: input.reason, blockedBy: admin.userId }, claimed, now());
        if (decided.kind !== 'Blocked') return decided;
        await tx.insertBlock(decided.block, decided.step.at);
        await publishSeatBlockSteps(tx, [decided.step], causation);
        return { kind: 'Blocked', blockId: decided.block.id, seatIds: decided.block.seatIds };
      });
    } catch (error) {
      if (error instanceof SeatsTaken) return { kind: 'SeatsUnavailable', seatIds: error.seatId ? [error.seatId] : [] };
      throw error;
    } finally {
      await lock.release();
    }
  };
}
