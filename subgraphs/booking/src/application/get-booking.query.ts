import type { Viewer } from '@ticketing/platform';
import { canonicalUuid, isUuid } from './input-rules';
import type { BookingDetails } from './ports';

export type GetBookingResult = { kind: 'Found'; booking: BookingDetails } | { kind: 'NotFound' };


/**
 * A booking for its owner or an admin. Everyone else gets NotFound, exactly as for a booking
 * that does not exist, so ids cannot be probed for existence (OWASP API1).
 */
export function getBooking(deps: { findBooking: (id: string) => Promise<BookingDetails | null> }) {
  return async (viewer: Viewer, bookingId: string): Promise<GetBookingResult> => {
    if (!isUuid(bookingId)) return { kind: 'NotFound' };
    const booking = await deps.findBooking(canonicalUuid(bookingId));
    if (!booking || (booking.userId !== viewer.userId && viewer.role !== 'ADMIN')) return { kind: 'NotFound' };
    return { kind: 'Found', booking };
  };
}
