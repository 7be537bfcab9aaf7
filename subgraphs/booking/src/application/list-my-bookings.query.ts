import { keyset, type Viewer } from '@ticketing/platform';
import type { BookingDetails, BookingStore } from './ports';

export type ListMyBookingsResult = keyset.PageResult<BookingDetails>;

/** The caller's own bookings, newest first, keyset-paginated (stable while new bookings arrive). */
export function listMyBookings(deps: { bookings: Pick<BookingStore, 'listByUser'> }) {
  return async (viewer: Viewer, page: { first?: number | null; after?: string | null }): Promise<ListMyBookingsResult> => {
    const request = keyset.validatePageRequest(page);
    if (keyset.isPageRejection(request)) return request;
    const { first, after } = request;
    const { bookings, hasNextPage } = await deps.bookings.listByUser({ userId: viewer.userId, first, after });
    const last = bookings.at(-1);
    return {
      kind: 'Page',
      nodes: bookings,
      pageInfo: { hasNextPage, endCursor: last ? keyset.encodeCursor(last) : null },
    };
  };
}
