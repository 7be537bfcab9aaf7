import type { Viewer } from '@ticketing/platform';
import type { BookingCursor, BookingDetails, BookingStore } from './ports';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export type ListMyBookingsResult =
  | { kind: 'Page'; nodes: BookingDetails[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } }
  | { kind: 'InvalidPageSize'; min: number; max: number }
  | { kind: 'InvalidCursor' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Opaque to clients: base64url of `<createdAt ISO>|<id>` of the last booking on the page. */
export function encodeCursor(cursor: BookingCursor): string {
  return Buffer.from(`${cursor.createdAt.toISOString()}|${cursor.id}`).toString('base64url');
}

export function decodeCursor(value: string): BookingCursor | null {
  if (value.length > 200) return null;
  const [createdAt, id, ...rest] = Buffer.from(value, 'base64url').toString('utf8').split('|');
  if (rest.length > 0 || !createdAt || !id || !ISO_INSTANT.test(createdAt) || !UUID.test(id)) return null;
  const date = new Date(createdAt);
  // Rejects impossible dates that match the pattern (e.g. month 13) and non-canonical ones.
  if (Number.isNaN(date.getTime()) || date.toISOString() !== createdAt) return null;
  return { createdAt: date, id };
}

/** The caller's own bookings, newest first, keyset-paginated (stable while new bookings arrive). */
export function listMyBookings(deps: { bookings: BookingStore }) {
  return async (viewer: Viewer, page: { first?: number | null; after?: string | null }): Promise<ListMyBookingsResult> => {
    const first = page.first ?? DEFAULT_PAGE_SIZE;
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
      return { kind: 'InvalidPageSize', min: 1, max: MAX_PAGE_SIZE };
    }
    const after = page.after == null ? null : decodeCursor(page.after);
    if (page.after != null && !after) return { kind: 'InvalidCursor' };
    const { bookings, hasNextPage } = await deps.bookings.listByUser({ userId: viewer.userId, first, after });
    const last = bookings.at(-1);
    return {
      kind: 'Page',
      nodes: bookings,
      pageInfo: { hasNextPage, endCursor: last ? encodeCursor(last) : null },
    };
  };
}
