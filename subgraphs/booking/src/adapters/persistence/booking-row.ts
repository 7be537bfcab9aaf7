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
