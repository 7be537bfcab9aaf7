import { keyset } from '@ticketing/platform';
import type { BookingDetails, BookingStore, ScheduleBookingsFilter } from './ports';

export type ListScheduleBookingsResult = keyset.PageResult<BookingDetails> | { kind: 'InvalidTimeRange' };

/**
 * scheduleBookings (admins): one schedule's bookings, newest first, keyset-paginated (stable
 * while an on-sale adds bookings), narrowed by status, fan and creation time.
 */
export function listScheduleBookings(deps: { bookings: Pick<BookingStore, 'listBySchedule'> }) {
  return async (scheduleId: string, filter: ScheduleBookingsFilter, page: { first?: number | null; after?: string | null }): Promise<ListScheduleBookingsResult> => {
    const request = keyset.validatePageRequest(page);
    if (keyset.isPageRejection(request)) return request;
    if (filter.createdFrom && filter.createdBefore && filter.createdFrom.getTime() >= filter.createdBefore.getTime()) return { kind: 'InvalidTimeRange' };
    const { bookings, hasNextPage } = await deps.bookings.listBySchedule({ scheduleId, filter, first: request.first, after: request.after });
    const last = bookings.at(-1);
    return { kind: 'Page', nodes: bookings, pageInfo: { hasNextPage, endCursor: last ? keyset.encodeCursor(last) : null } };
  };
}
