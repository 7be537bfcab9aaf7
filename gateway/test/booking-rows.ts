import { randomUUID } from 'node:crypto';
import { openSchedule, sql } from '@ticketing/test-support';

/**
 * Bookings written straight into this run's databases, the way the booking subgraph's write side
 * records them (booking, seat claims and the transition, version +1 per transition), so the
 * subscriptions can be tested without the saga that produces them.
 */

export interface CatalogSeat {
  id: string;
  section: string;
  row: string;
  number: number;
  price: number;
}

/** A schedule open for booking with `count` seats in section A, row 1 (the first `sold` of them SOLD). */
export async function scheduleWithSeats(count: number, sold = 0): Promise<{ scheduleId: string; seats: CatalogSeat[] }> {
  const scheduleId = await openSchedule();
  const seats: CatalogSeat[] = [];
  for (let number = 1; number <= count; number++) {
    const seat = { id: randomUUID(), section: 'A', row: '1', number, price: 99_000 + number };
    await sql('concert', 'INSERT INTO seats (id, schedule_id, section, row, number, price, status) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
      seat.id,
      scheduleId,
      seat.section,
      seat.row,
      seat.number,
      seat.price,
      number <= sold ? 'SOLD' : 'AVAILABLE',
    ]);
    seats.push(seat);
  }
  return { scheduleId, seats };
}

type BookingStatus = 'HELD' | 'PAYMENT_PENDING' | 'CONFIRMED' | 'CANCELLED' | 'EXPIRED';

/** A booking of `userId` holding `seats`, as holdSeats leaves it: HELD at version 0. */
export async function insertHeldBooking(userId: string, scheduleId: string, seats: readonly CatalogSeat[]): Promise<string> {
  const bookingId = randomUUID();
  const amount = seats.reduce((sum, seat) => sum + seat.price, 0);
  await sql(
    'booking',
    `INSERT INTO bookings (id, user_id, schedule_id, status, amount, held_until, version)
     VALUES ($1, $2, $3, 'HELD', $4, now() + interval '5 minutes', 0)`,
    [bookingId, userId, scheduleId, amount],
  );
  for (const seat of seats) {
    await sql('booking', `INSERT INTO seat_claims (booking_id, seat_id, schedule_id, status) VALUES ($1, $2, $3, 'HELD')`, [
      bookingId,
      seat.id,
      scheduleId,
    ]);
  }
  await sql('booking', `INSERT INTO booking_transitions (booking_id, version, status, at, reason) VALUES ($1, 0, 'HELD', now(), 'seats held')`, [
    bookingId,
  ]);
  return bookingId;
}

/** One transition in one statement (booking, its history and its claims together); returns the new version. */
export async function transitionBooking(bookingId: string, status: BookingStatus, reason: string): Promise<number> {
  const [row] = await sql<{ version: number }>(
    'booking',
    `WITH moved AS (
       UPDATE bookings
          SET status = $2::"BookingStatus", version = version + 1, updated_at = now(),
              held_until = CASE WHEN $2::"BookingStatus" IN ('HELD', 'PAYMENT_PENDING') THEN held_until END
        WHERE id = $1
    RETURNING id, version
     ), history AS (
       INSERT INTO booking_transitions (booking_id, version, status, at, reason)
       SELECT id, version, $2::"BookingStatus", now(), $3 FROM moved
     ), claims AS (
       UPDATE seat_claims SET status = $2::"BookingStatus" WHERE booking_id = $1
     )
     SELECT version FROM moved`,
    [bookingId, status, reason],
  );
  if (!row) throw new Error(`no booking ${bookingId}`);
  return row.version;
}
