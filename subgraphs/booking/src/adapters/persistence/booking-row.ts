import type { BookingStatus } from '../../domain/booking';

/** The columns of `bookings` (with its seats) that every read of a booking carries, as pg returns them. */
export interface BookingRowCore {
  id: string;
  user_id: string;
  schedule_id: string;
  status: BookingStatus;
  amount: number;
  held_until: Date | null;
  version: number;
  seat_ids: string[];
}

/** The one mapping of those columns to the domain's names; each reader adds the columns it selects. */
export function bookingFromRow(row: BookingRowCore) {
  return {
    id: row.id,
    userId: row.user_id,
    scheduleId: row.schedule_id,
    seatIds: row.seat_ids,
    status: row.status,
    amount: row.amount,
    heldUntil: row.held_until,
    version: row.version,
  };
}

/**
 * The details a reader adds to those columns, in the same statement (one snapshot): when the
 * booking was created, a comp's guest, and its history oldest first as JSON (`b` is `bookings`).
 */
export const DETAILS_COLUMNS = `b.created_at, b.guest_name,
         COALESCE((SELECT json_agg(json_build_object('status', t.status, 'at', t.at, 'reason', t.reason) ORDER BY t.version)
                     FROM booking_transitions t WHERE t.booking_id = b.id), '[]'::json) AS history`;

export interface DetailsColumns {
  created_at: Date;
  guest_name: string | null;
  history: Array<{ status: BookingStatus; at: string; reason: string | null }>;
}

/** The one mapping of DETAILS_COLUMNS. */
export function detailsFromRow(row: DetailsColumns) {
  return {
    createdAt: row.created_at,
    guestName: row.guest_name,
    history: row.history.map((t) => ({ status: t.status, at: new Date(t.at), reason: t.reason })),
  };
}
