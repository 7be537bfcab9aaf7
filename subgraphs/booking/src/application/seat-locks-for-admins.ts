import type { SeatLocks } from './ports';

/** Attempts and pause between them: a fan's hold keeps its seat locks for one transaction. */
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
