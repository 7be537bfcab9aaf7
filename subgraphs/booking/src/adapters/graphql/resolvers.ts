import DataLoader from 'dataloader';
import { clientError, ErrorCode, requireViewer, type RequestIdentity } from '@ticketing/platform';
import { getBooking, type GetBookingResult } from '../../application/get-booking.query';
import type { listMyBookings, ListMyBookingsResult } from '../../application/list-my-bookings.query';
import type { BookingDetails, BookingStore } from '../../application/ports';
import type { Resolvers } from './generated/resolvers-types';
import type { Context } from './models';

export interface BookingUseCases {
  listMyBookings: ReturnType<typeof listMyBookings>;
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

function pageOrThrow(result: ListMyBookingsResult) {
  switch (result.kind) {
    case 'Page':
      return { nodes: result.nodes, pageInfo: result.pageInfo };
    case 'InvalidPageSize':
      throw clientError(ErrorCode.BAD_USER_INPUT, `first must be between ${result.min} and ${result.max}`, { field: 'first' });
    case 'InvalidCursor':
      throw clientError(ErrorCode.BAD_USER_INPUT, 'after is not a cursor from this list', { field: 'after' });
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
  return {
    Query: {
      booking: async (_parent, { id }, context) => readBooking(id, context),
      myBookings: async (_parent, { first, after }, context) =>
        pageOrThrow(await useCases.listMyBookings(requireViewer(context.viewer), { first, after })),
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
