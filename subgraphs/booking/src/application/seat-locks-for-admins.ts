import type { BookingWriter, SeatLocks } from './ports';

/**
 * Attempts and pause between them: a fan's hold in flight keeps its seat locks for one
 * transaction. A hold that went in keeps them longer (holdSeats), but its seats are claimed, and
 * each admin command reads the claims before it asks for locks (claimedSeatsNow,
 * seatsNotBlockedNow), so it refuses such seats by name at once instead of waiting them out.
 */
const ATTEMPTS = 40;
const PAUSE_MS = 25;

/**
 * The seat locks for an admin's block or release. A fan racing a stampede is turned away at
 * once (another fan got the seat); an admin is not in a stampede, and a lock held by a hold in
 * flight is gone within a transaction, so the admin waits for it and then meets the fence,
 * which names the seats that were taken. Null only if the locks stay busy throughout.
 */
export async function acquireSeatLocks(locks: SeatLocks, scheduleId: string, seatIds: readonly string[]) {
  for (let attempt = 1; ; attempt++) {
    const lock = await locks.acquire(scheduleId, seatIds);
    if (lock || attempt === ATTEMPTS) return lock;
    await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
  }
}

/** The seats among `seatIds` with a live claim now, read in a transaction of their own (no locks). */
export function claimedSeatsNow(writer: BookingWriter, seatIds: readonly string[]): Promise<string[]> {
  return writer.transaction((tx) => tx.claimedSeats(seatIds));
}

/** The seats among `seatIds` of the schedule that are not BLOCKED now, in the order given, read without locks. */
export async function seatsNotBlockedNow(writer: BookingWriter, scheduleId: string, seatIds: readonly string[]): Promise<string[]> {
  const blocked = new Set(await writer.transaction((tx) => tx.blockedSeats(scheduleId, seatIds)));
  return seatIds.filter((seatId) => !blocked.has(seatId));
}
