import type { BookingStatus } from '../domain/booking';
import type { SeatLocks } from './ports';

/** What the seat locks need to hear of a committed step: whose seats, and where the booking went. */
export interface CommittedStep {
  bookingId: string;
  scheduleId: string;
  seatIds: readonly string[];
  to: BookingStatus;
}

/** The statuses that give a booking's seats back. */
const ENDED: ReadonlySet<BookingStatus> = new Set(['CANCELLED', 'EXPIRED', 'REFUNDED']);

/**
 * A hold keeps its seat locks until they lapse (holdSeats); a booking that ends sooner (a payment
 * refused within a second, a fan who cancels at once) must not leave its free seats refused in
 * Redis until then. Once the step's transaction has committed, and before its command answers
 * (a fan told "cancelled" may hold the seats again at once), the seats of every booking it ended
 * are given back, one call per schedule, and only where the booking still owns the lock. Best
 * effort, as every release: a lock left behind lapses at its TTL, and the claim index is the
 * fence either way. Ended bookings whose locks lapsed long ago cost a call that finds nothing.
 */
export function releaseLocksOfEndedBookings(locks: Pick<SeatLocks, 'releaseOwned'>, failed: (error: unknown) => void) {
  return async (steps: readonly CommittedStep[]): Promise<void> => {
    const bySchedule = new Map<string, Array<{ seatId: string; owner: string }>>();
    for (const step of steps) {
      if (!ENDED.has(step.to)) continue;
      const owned = bySchedule.get(step.scheduleId) ?? [];
      for (const seatId of step.seatIds) owned.push({ seatId, owner: step.bookingId });
      bySchedule.set(step.scheduleId, owned);
    }
    await Promise.all([...bySchedule].map(([scheduleId, owned]) => locks.releaseOwned(scheduleId, owned).catch(failed)));
  };
}
