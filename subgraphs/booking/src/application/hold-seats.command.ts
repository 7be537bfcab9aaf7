import { randomUUID } from 'node:crypto';
import type { Viewer } from '@ticketing/platform';
import { checkFanSeatLimit, checkSeatSelection, hold, type DuplicateSeats, type NoSeats, type SeatLimitReached, type TooManySeats } from '../domain/booking';
import { SeatsTaken, TicketAlreadyHolding, TicketRetired, type AdmissionChecker, type BookingDetails, type BookingWriter, type Causation, type SeatCatalog, type SeatLocks } from './ports';
import { newBookingDetails } from './booking-details';
import { recordFanHold } from './record-transition';

export interface HoldSeatsInput {
  scheduleId: string;
  seatIds: readonly string[];
  queueToken: string;
  /** The fan's own bearer header, forwarded to the waiting room. */
  authorization: string;
}

export type HoldSeatsResult =
  /** The booking as a read would find it now (its write is all of it): the answer needs no read. */
  | { kind: 'Held'; booking: BookingDetails }
  | NoSeats
  | TooManySeats
  | DuplicateSeats
  | { kind: 'QueueTokenInvalid'; reason: string }
  | { kind: 'UnknownSchedule' }
  /** An admin closed the schedule's sales (concert's closeSales); paying an earlier hold still works. */
  | { kind: 'SalesClosed' }
  | { kind: 'UnknownSeats'; seatIds: string[] }
  | { kind: 'SeatUnavailable'; seatId: string | null }
  | { kind: 'TicketAlreadyHolding' }
  | SeatLimitReached;

/**
 * holdSeats: the waiting room must have admitted this fan for this schedule; then all seats or
 * none. Layers, cheapest first: Redis locks on every seat taken at once (a stampede on one seat
 * is turned away here, without a database round trip), then one PostgreSQL statement, its own
 * transaction, whose unique index on live claims is the real fence, so a lying or lost Redis lock
 * can never sell a seat twice. The schedule's per-fan cap is checked inside that transaction,
 * under a lock per (fan, schedule), so holds from several tabs and queue tickets cannot pass it
 * together.
 *
 * The locks are the booking's (its id is their owner). A hold that went in keeps them until they
 * lapse (SEAT_LOCK_TTL_MS): the seats are taken anyway, so the stampede that follows a hold is
 * still turned away in Redis, and the hold costs no release (issue 10: three Redis commands).
 * A booking that ends before then gives them back (releaseLocksOfEndedBookings); any other
 * outcome gives them back at once.
 */
export function holdSeats(deps: {
  writer: BookingWriter;
  admission: AdmissionChecker;
  catalog: SeatCatalog;
  locks: SeatLocks;
  holdTtlSeconds: number;
  now?: () => Date;
}) {
  const now = deps.now ?? (() => new Date());
  return async (viewer: Viewer, input: HoldSeatsInput, causation: Causation): Promise<HoldSeatsResult> => {
    const badSelection = checkSeatSelection(input.seatIds);
    if (badSelection) return badSelection;

    const admission = await deps.admission.check({ token: input.queueToken, scheduleId: input.scheduleId, userId: viewer.userId, authorization: input.authorization });
    if (!admission.admitted) return { kind: 'QueueTokenInvalid', reason: admission.reason };

    const terms = await deps.catalog.saleTerms(input.scheduleId, input.seatIds);
    if (!terms) return { kind: 'UnknownSchedule' };
    if (terms.salesClosedAt) return { kind: 'SalesClosed' };
    const prices = terms.seatPrices;
    const unknown = input.seatIds.filter((id) => !prices.has(id));
    if (unknown.length > 0) return { kind: 'UnknownSeats', seatIds: unknown };

    const decided = hold(
      {
        bookingId: randomUUID(),
        userId: viewer.userId,
        scheduleId: input.scheduleId,
        queueTicketId: admission.ticketId,
        seats: input.seatIds.map((seatId) => ({ seatId, price: prices.get(seatId)! })),
        holdTtlSeconds: deps.holdTtlSeconds,
      },
      now(),
    );
    if (decided.kind !== 'Transitioned') throw new Error(`catalog price refused by the domain: ${JSON.stringify(decided)}`);

    const lock = await deps.locks.acquire(input.scheduleId, decided.booking.seatIds, decided.booking.id);
    if (!lock) return { kind: 'SeatUnavailable', seatId: null };
    let held = false;
    try {
      const written = await recordFanHold(deps.writer, decided, causation, { maxSeatsPerFan: terms.maxSeatsPerFan });
      if (written.kind === 'OverCap') {
        const overLimit = checkFanSeatLimit({ seatsClaimed: written.seatsClaimed, requested: decided.booking.seatIds.length, limit: terms.maxSeatsPerFan });
        if (!overLimit) throw new Error(`the hold's write and checkFanSeatLimit disagree on ${written.seatsClaimed} seats claimed`);
        return overLimit;
      }
      held = true;
      return { kind: 'Held', booking: newBookingDetails(decided) };
    } catch (error) {
      if (error instanceof SeatsTaken) return { kind: 'SeatUnavailable', seatId: error.seatId };
      if (error instanceof TicketAlreadyHolding) return { kind: 'TicketAlreadyHolding' };
      // The ticket's booking was sold: the waiting room retires such a ticket, and says so to a pass's holder.
      if (error instanceof TicketRetired) return { kind: 'QueueTokenInvalid', reason: 'RETIRED' };
      throw error;
    } finally {
      if (!held) await lock.release();
    }
  };
}
