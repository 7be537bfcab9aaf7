import DataLoader from 'dataloader';
import { clientError, ErrorCode, keyset, requireAdmin, requireViewer, type RequestIdentity } from '@ticketing/platform';
import type { blockSeats, BlockSeatsResult } from '../../application/block-seats.command';
import type { bookBlockedSeats, BookBlockedSeatsResult } from '../../application/book-blocked-seats.command';
import type { cancelBooking, CancelBookingResult } from '../../application/cancel-booking.command';
import type { DeadLetterAdmin } from '../kafka/dead-letter.admin';
import { getBooking, type GetBookingResult } from '../../application/get-booking.query';
import type { holdSeats, HoldSeatsResult } from '../../application/hold-seats.command';
import { canonicalUuid, isIdempotencyKey, isUuid } from '../../application/input-rules';
import type { DuplicateSeats, NoSeats, TooManySeats } from '../../domain/booking';
import type { listMyBookings } from '../../application/list-my-bookings.query';
import type { listScheduleBookings } from '../../application/list-schedule-bookings.query';
import type { payBooking, PayBookingResult } from '../../application/pay-booking.command';
import type { BookingDetails, BookingStore } from '../../application/ports';
import type { refundBooking, RefundBookingResult } from '../../application/refund-booking.command';
import type { releaseSeats, ReleaseSeatsResult } from '../../application/release-seats.command';
import type { Resolvers } from './generated/resolvers-types';
import type { Context } from './models';

export interface BookingUseCases {
  listMyBookings: ReturnType<typeof listMyBookings>;
  listScheduleBookings: ReturnType<typeof listScheduleBookings>;
  holdSeats: ReturnType<typeof holdSeats>;
  payBooking: ReturnType<typeof payBooking>;
  cancelBooking: ReturnType<typeof cancelBooking>;
  refundBooking: ReturnType<typeof refundBooking>;
  blockSeats: ReturnType<typeof blockSeats>;
  bookBlockedSeats: ReturnType<typeof bookBlockedSeats>;
  releaseSeats: ReturnType<typeof releaseSeats>;
  deadLetters: DeadLetterAdmin;
}

const MAX_DEAD_LETTERS = 500;

/** The id a write names: BAD_USER_INPUT when it cannot be an id at all. */
function uuidOrThrow(value: string, field: string): string {
  if (!isUuid(value)) throw clientError(ErrorCode.BAD_USER_INPUT, `${field} is not an id`, { field });
  return canonicalUuid(value);
}

/** The one wording of a refused seat list (hold, block, release); `per` names what the cap counts. */
function seatListError(rejection: NoSeats | TooManySeats | DuplicateSeats, per: 'booking' | 'call') {
  switch (rejection.kind) {
    case 'NoSeats':
      return clientError(ErrorCode.BAD_USER_INPUT, 'Choose at least one seat', { field: 'seatIds' });
    case 'TooManySeats':
      return clientError(ErrorCode.BAD_USER_INPUT, `At most ${rejection.max} seats per ${per}`, { field: 'seatIds' });
    case 'DuplicateSeats':
      return clientError(ErrorCode.BAD_USER_INPUT, 'A seat is listed twice', { field: 'seatIds', seatIds: rejection.seatIds });
  }
}

function heldOrThrow(result: HoldSeatsResult): BookingDetails {
  switch (result.kind) {
    case 'Held':
      return result.booking;
    case 'NoSeats':
    case 'TooManySeats':
    case 'DuplicateSeats':
      throw seatListError(result, 'booking');
    case 'QueueTokenInvalid':
      // The reason (expired, someone else's, ...) stays in the logs: it would help a forger.
      throw clientError(ErrorCode.QUEUE_TOKEN_INVALID, 'This queue ticket does not admit you to this schedule now');
    case 'UnknownSchedule':
      throw clientError(ErrorCode.NOT_FOUND, 'Schedule not found');
    case 'SalesClosed':
      throw clientError(ErrorCode.INVALID_STATE, 'Sales of this schedule are closed', { reason: 'SALES_CLOSED' });
    case 'UnknownSeats':
      throw clientError(ErrorCode.BAD_USER_INPUT, 'Some seats are not seats of this schedule', { field: 'seatIds', seatIds: result.seatIds });
    case 'SeatUnavailable':
      throw clientError(ErrorCode.SEAT_UNAVAILABLE, 'A chosen seat is no longer available', result.seatId ? { seatId: result.seatId } : undefined);
    case 'TicketAlreadyHolding':
      throw clientError(ErrorCode.CONFLICT, 'This queue ticket already backs a booking: pay or cancel it first');
    case 'SeatLimitReached':
      throw clientError(
        ErrorCode.SEAT_LIMIT_REACHED,
        result.remaining === 0
          ? `You already have ${result.limit} seats for this performance, the most one fan may have: you may hold 0 more`
          : `At most ${result.limit} seats per fan for this performance: you may hold ${result.remaining} more`,
        { limit: result.limit, remaining: result.remaining },
      );
  }
}

function paidOrThrow(result: PayBookingResult): BookingDetails {
  switch (result.kind) {
    case 'PaymentRequested':
    case 'Replayed':
      return result.booking;
    case 'NotFound':
      throw clientError(ErrorCode.NOT_FOUND, 'Booking not found');
    case 'KeyReused':
      throw clientError(ErrorCode.CONFLICT, 'This idempotency key was used for another booking', { field: 'idempotencyKey' });
    case 'InvalidState':
      throw clientError(ErrorCode.INVALID_STATE, `A ${result.status} booking cannot be paid`, { status: result.status });
    case 'HoldExpired':
      throw clientError(ErrorCode.INVALID_STATE, 'The hold has lapsed; hold the seats again', { status: 'HELD' });
  }
}

function cancelledOrThrow(result: CancelBookingResult): string {
  switch (result.kind) {
    case 'Cancelled':
      return result.bookingId;
    case 'NotFound':
      throw clientError(ErrorCode.NOT_FOUND, 'Booking not found');
    case 'InvalidState':
      throw clientError(ErrorCode.INVALID_STATE, `A ${result.status} booking cannot be cancelled`, { status: result.status });
  }
}

function refundedOrThrow(result: RefundBookingResult): string {
  switch (result.kind) {
    case 'Refunded':
      return result.bookingId;
    case 'NotFound':
      throw clientError(ErrorCode.NOT_FOUND, 'Booking not found');
    case 'InvalidState':
      throw clientError(ErrorCode.INVALID_STATE, `Only a CONFIRMED booking can be refunded; this one is ${result.status}`, { status: result.status });
    case 'ReasonRequired':
      throw clientError(ErrorCode.BAD_USER_INPUT, `Say why, in 1 to ${result.max} characters`, { field: 'reason' });
    case 'RefundWindowClosed':
      throw clientError(ErrorCode.REFUND_NOT_ALLOWED, 'Refunds of this performance closed before it starts; ask the organiser', {
        cutoff: result.cutoff.toISOString(),
      });
  }
}

function compedOrThrow(result: BookBlockedSeatsResult): string {
  switch (result.kind) {
    case 'Comped':
      return result.bookingId;
    case 'NoSeats':
    case 'TooManySeats':
    case 'DuplicateSeats':
      throw seatListError(result, 'call');
    case 'GuestNameRequired':
      throw clientError(ErrorCode.BAD_USER_INPUT, `Name the guest, in 1 to ${result.max} characters`, { field: 'guestName' });
    case 'SeatsNotBlocked':
      throw clientError(ErrorCode.INVALID_STATE, 'Only blocked seats can be booked for a guest: nothing was booked', { seatIds: result.seatIds });
    case 'SeatsBusy':
      throw clientError(ErrorCode.SEAT_UNAVAILABLE, 'These seats are being changed right now: nothing was booked, try again', { seatIds: [] });
  }
}

function blockedOrThrow(result: BlockSeatsResult): readonly string[] {
  switch (result.kind) {
    case 'Blocked':
      return result.seatIds;
    case 'NoSeats':
    case 'TooManySeats':
    case 'DuplicateSeats':
      throw seatListError(result, 'call');
    case 'ReasonRequired':
      throw clientError(ErrorCode.BAD_USER_INPUT, `Say why, in 1 to ${result.max} characters`, { field: 'reason' });
    case 'UnknownSchedule':
      throw clientError(ErrorCode.NOT_FOUND, 'Schedule not found');
    case 'UnknownSeats':
      throw clientError(ErrorCode.BAD_USER_INPUT, 'Some seats are not seats of this schedule', { field: 'seatIds', seatIds: result.seatIds });
    case 'SeatsUnavailable':
      throw clientError(ErrorCode.SEAT_UNAVAILABLE, 'Some seats are held, sold or blocked already: nothing was blocked', { seatIds: result.seatIds });
  }
}

function releasedOrThrow(result: ReleaseSeatsResult): readonly string[] {
  switch (result.kind) {
    case 'Released':
      return result.seatIds;
    case 'NoSeats':
    case 'TooManySeats':
    case 'DuplicateSeats':
      throw seatListError(result, 'call');
    case 'SeatsNotBlocked':
      throw clientError(ErrorCode.INVALID_STATE, 'Some seats are not blocked: nothing was released', { seatIds: result.seatIds });
    case 'SeatsBusy':
      throw clientError(ErrorCode.SEAT_UNAVAILABLE, 'These seats are being changed right now: nothing was released, try again', { seatIds: [] });
  }
}

/** The one place where booking-subgraph outcomes become GraphQL errors. */
function foundOrThrow(result: GetBookingResult): BookingDetails {
  switch (result.kind) {
    case 'Found':
      return result.booking;
    case 'NotFound':
      throw clientError(ErrorCode.NOT_FOUND, 'Booking not found');
  }
}

export function createContextFactory(bookings: BookingStore) {
  return (identity: RequestIdentity): Context => ({
    ...identity,
    // One query per request for any number of Booking references (federation fan-in).
    bookingsById: new DataLoader<string, BookingDetails | null>(async (ids) => {
      const found = new Map((await bookings.findByIds(ids)).map((booking) => [booking.id, booking]));
      return ids.map((id) => found.get(id) ?? null);
    }),
  });
}

export function createResolvers(useCases: BookingUseCases): Resolvers {
  const readBooking = async (id: string, context: Context) => {
    const viewer = requireViewer(context.viewer);
    // Through the request's loader, so a batch of references costs one query.
    const read = getBooking({ findBooking: (bookingId) => context.bookingsById.load(bookingId) });
    return foundOrThrow(await read(viewer, id));
  };
  const causation = (context: Context) => ({ correlationId: context.requestId, causationId: context.requestId });
  return {
    Query: {
      booking: async (_parent, { id }, context) => readBooking(id, context),
      myBookings: async (_parent, { first, after }, context) =>
        keyset.connectionOrThrow(await useCases.listMyBookings(requireViewer(context.viewer), { first, after })),
      scheduleBookings: async (_parent, { scheduleId, status, userId, createdFrom, createdBefore, first, after }, context) => {
        requireAdmin(context.viewer);
        const filter = {
          ...(status && { status }),
          ...(userId && { userId: uuidOrThrow(userId, 'userId') }),
          ...(createdFrom && { createdFrom: new Date(createdFrom) }),
          ...(createdBefore && { createdBefore: new Date(createdBefore) }),
        };
        // An id that cannot be a schedule's has no bookings: an empty page, like an unknown one.
        if (!isUuid(scheduleId)) return { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } };
        const result = await useCases.listScheduleBookings(canonicalUuid(scheduleId), filter, { first, after });
        if (result.kind === 'InvalidTimeRange') throw clientError(ErrorCode.BAD_USER_INPUT, 'createdBefore must be after createdFrom', { field: 'createdBefore' });
        return keyset.connectionOrThrow(result);
      },
      deadLetters: async (_parent, { source, limit }, context) => {
        requireAdmin(context.viewer);
        const wanted = limit ?? 100;
        if (!Number.isInteger(wanted) || wanted < 1 || wanted > MAX_DEAD_LETTERS) {
          throw clientError(ErrorCode.BAD_USER_INPUT, `limit must be between 1 and ${MAX_DEAD_LETTERS}`, { field: 'limit' });
        }
        return useCases.deadLetters.list(source, wanted);
      },
    },
    Mutation: {
      holdSeats: async (_parent, { scheduleId, seatIds, queueToken }, context) => {
        const viewer = requireViewer(context.viewer);
        const input = {
          scheduleId: uuidOrThrow(scheduleId, 'scheduleId'),
          seatIds: seatIds.map((id) => uuidOrThrow(id, 'seatIds')),
          queueToken,
          authorization: context.authorization ?? '',
        };
        // The hold's own booking, as written: no read of it (holdSeats).
        return heldOrThrow(await useCases.holdSeats(viewer, input, causation(context)));
      },
      payBooking: async (_parent, { bookingId, idempotencyKey }, context) => {
        const viewer = requireViewer(context.viewer);
        if (!isIdempotencyKey(idempotencyKey)) {
          throw clientError(ErrorCode.BAD_USER_INPUT, 'idempotencyKey must be 1 to 100 characters of A-Z a-z 0-9 _ - : .', { field: 'idempotencyKey' });
        }
        if (!isUuid(bookingId)) throw clientError(ErrorCode.NOT_FOUND, 'Booking not found');
        // The booking as payBooking's own read and write left it: no read after (payBooking).
        return paidOrThrow(await useCases.payBooking(viewer, { bookingId: canonicalUuid(bookingId), idempotencyKey }, causation(context)));
      },
      cancelBooking: async (_parent, { bookingId }, context) => {
        const viewer = requireViewer(context.viewer);
        if (!isUuid(bookingId)) throw clientError(ErrorCode.NOT_FOUND, 'Booking not found');
        return readBooking(cancelledOrThrow(await useCases.cancelBooking(viewer, canonicalUuid(bookingId), causation(context))), context);
      },
      refundBooking: async (_parent, { bookingId, reason }, context) => {
        const viewer = requireViewer(context.viewer);
        if (!isUuid(bookingId)) throw clientError(ErrorCode.NOT_FOUND, 'Booking not found');
        const refunded = refundedOrThrow(await useCases.refundBooking(viewer, { bookingId: canonicalUuid(bookingId), reason }, causation(context)));
        return readBooking(refunded, context);
      },
      blockSeats: async (_parent, { scheduleId, seatIds, reason }, context) => {
        const admin = requireAdmin(context.viewer);
        const input = { scheduleId: uuidOrThrow(scheduleId, 'scheduleId'), seatIds: seatIds.map((id) => uuidOrThrow(id, 'seatIds')), reason };
        const blocked = blockedOrThrow(await useCases.blockSeats(admin, input, causation(context)));
        return blocked.map((id) => ({ __typename: 'Seat' as const, id }));
      },
      bookBlockedSeats: async (_parent, { scheduleId, seatIds, guestName }, context) => {
        const admin = requireAdmin(context.viewer);
        const input = { scheduleId: uuidOrThrow(scheduleId, 'scheduleId'), seatIds: seatIds.map((id) => uuidOrThrow(id, 'seatIds')), guestName };
        return readBooking(compedOrThrow(await useCases.bookBlockedSeats(admin, input, causation(context))), context);
      },
      releaseSeats: async (_parent, { scheduleId, seatIds }, context) => {
        const admin = requireAdmin(context.viewer);
        const input = { scheduleId: uuidOrThrow(scheduleId, 'scheduleId'), seatIds: seatIds.map((id) => uuidOrThrow(id, 'seatIds')) };
        const released = releasedOrThrow(await useCases.releaseSeats(admin, input, causation(context)));
        return released.map((id) => ({ __typename: 'Seat' as const, id }));
      },
      redriveDeadLetter: async (_parent, { source, partition, offset }, context) => {
        requireAdmin(context.viewer);
        const redriven = await useCases.deadLetters.redrive(source, partition, offset);
        if (!redriven) throw clientError(ErrorCode.NOT_FOUND, 'No such dead letter');
        return redriven;
      },
    },
    Booking: {
      // Same rule as Query.booking: another subgraph's reference never reveals someone else's booking.
      __resolveReference: async (reference, context) => readBooking(reference.id, context),
      user: (booking) => ({ __typename: 'User', id: booking.userId }),
      schedule: (booking) => ({ __typename: 'Schedule', id: booking.scheduleId }),
      seats: (booking) => booking.seatIds.map((id) => ({ __typename: 'Seat', id })),
      heldUntil: (booking) => booking.heldUntil?.toISOString() ?? null,
      createdAt: (booking) => booking.createdAt.toISOString(),
      history: (booking) => booking.history.map((entry) => ({ status: entry.status, at: entry.at.toISOString(), reason: entry.reason })),
    },
  };
}
