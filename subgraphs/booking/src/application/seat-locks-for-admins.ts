import type { BookingWriter, SeatLocks } from './ports';

/**
 * Attempts and pause between them: a fan's hold in flight keeps its seat locks for one
 * transaction. A hold that went in keeps them longer (holdSeats), but its seats are claimed by
 * then, which each refused attempt reads, so such seats are refused by name at once instead of
 * being waited out.
 */
const ATTEMPTS = 40;
const PAUSE_MS = 25;

type Lock = NonNullable<Awaited<ReturnType<SeatLocks['acquire']>>>;

export type AdminSeatLocks =
  | { kind: 'Locked'; lock: Lock }
  /** Seats that are not the admin's to take now, as `takenNow` named them. */
  | { kind: 'Taken'; seatIds: string[] }
  /** The locks stayed busy throughout, with nothing in the database behind them. */
  | { kind: 'Busy' };

/**
 * The seat locks for an admin's block, release or comp. A fan racing a stampede is turned away
 * at once (another fan got the seat); an admin is not in a stampede. When a lock is refused,
 * `takenNow` reads (without locks) which seats are taken for good: those are named at once. Any
 * other lock belongs to a hold in flight, gone within a transaction, so the admin waits for it
 * and then meets the fence, which names the seats that were taken. A free lock costs no read.
 */
export async function acquireSeatLocks(locks: SeatLocks, scheduleId: string, seatIds: readonly string[], takenNow: () => Promise<string[]>): Promise<AdminSeatLocks> {
  for (let attempt = 1; ; attempt++) {
    const lock = await locks.acquire(scheduleId, seatIds);
    if (lock) return { kind: 'Locked', lock };
    const taken = await takenNow();
    if (taken.length > 0) return { kind: 'Taken', seatIds: taken };
    if (attempt === ATTEMPTS) return { kind: 'Busy' };
    await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
  }
}

/** The seats among `seatIds` with a live claim now, sorted, read without locks. */
export async function claimedSeatsNow(writer: BookingWriter, seatIds: readonly string[]): Promise<string[]> {
  return (await writer.claimedSeats(seatIds)).sort();
}

/** The seats among `seatIds` of the schedule that are not BLOCKED now, in the order given, read without locks. */
export async function seatsNotBlockedNow(writer: BookingWriter, scheduleId: string, seatIds: readonly string[]): Promise<string[]> {
  const blocked = new Set(await writer.blockedSeats(scheduleId, seatIds));
  return seatIds.filter((seatId) => !blocked.has(seatId));
}
