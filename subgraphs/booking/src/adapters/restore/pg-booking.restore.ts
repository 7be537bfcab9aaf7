import type { Pool, PoolClient } from 'pg';
import { parseEvent, type EventEnvelope } from '@ticketing/contracts';
import type { BookingStatus } from '../../domain/booking';
import { bookingRowsFrom, type BookingStreamEvent, type RestoredBooking } from './booking-rows';

/** The tables a restore writes (children first for the emptiness check's message). */
const BOOKING_TABLES = ['booking_transitions', 'seat_claims', 'bookings', 'outbox', 'inbox'] as const;
/** Rows per multi-row INSERT: bounded statements, few round trips. */
const CHUNK = 1_000;

export type BookingRestoreOutcome =
  | { kind: 'Restored'; bookings: number; seatClaims: number; transitions: number; eventsRead: number }
  | { kind: 'NotEmpty'; table: string }
  /** Streams the store holds that booking could not have written; nothing was written. */
  | { kind: 'Unrestorable'; problems: Array<{ bookingId: string; reason: string }> };

async function firstNonEmptyTable(client: PoolClient): Promise<string | null> {
  for (const table of BOOKING_TABLES) {
    const { rows } = await client.query<{ any: boolean }>(`SELECT EXISTS (SELECT 1 FROM ${table}) AS any`);
    if (rows[0]!.any) return table;
  }
  return null;
}

async function insertChunk(client: PoolClient, chunk: readonly RestoredBooking[]) {
  const column = <T>(pick: (rows: RestoredBooking) => T) => chunk.map(pick);
  await client.query(
    `INSERT INTO bookings (id, user_id, schedule_id, status, amount, held_until, version, created_at, updated_at, queue_ticket_id, payment_id, payment_requested_at, guest_name)
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::"BookingStatus"[], $5::int[], $6::timestamptz[], $7::int[], $8::timestamptz[], $9::timestamptz[], $10::text[], $11::uuid[], $12::timestamptz[], $13::text[])`,
    [
      column((r) => r.booking.id),
      column((r) => r.booking.userId),
      column((r) => r.booking.scheduleId),
      column((r) => r.booking.status),
      column((r) => r.booking.amount),
      column((r) => r.booking.heldUntil),
      column((r) => r.booking.version),
      column((r) => r.booking.createdAt),
      column((r) => r.booking.updatedAt),
      column((r) => r.booking.queueTicketId),
      column((r) => r.booking.paymentId),
      column((r) => r.booking.paymentRequestedAt),
      column((r) => r.booking.guestName),
    ],
  );
  const claims = chunk.flatMap((r) => r.seatIds.map((seatId) => ({ r, seatId })));
  await client.query(
    `INSERT INTO seat_claims (booking_id, seat_id, schedule_id, status, created_at)
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::"BookingStatus"[], $5::timestamptz[])`,
    [claims.map((c) => c.r.booking.id), claims.map((c) => c.seatId), claims.map((c) => c.r.booking.scheduleId), claims.map((c) => c.r.booking.status), claims.map((c) => c.r.booking.createdAt)],
  );
  const transitions = chunk.flatMap((r) => r.transitions.map((t) => ({ id: r.booking.id, ...t })));
  await client.query(
    `INSERT INTO booking_transitions (booking_id, version, status, at, reason)
     SELECT * FROM unnest($1::uuid[], $2::int[], $3::"BookingStatus"[], $4::timestamptz[], $5::text[])`,
    [transitions.map((t) => t.id), transitions.map((t) => t.version), transitions.map((t) => t.status), transitions.map((t) => t.at), transitions.map((t) => t.reason)],
  );
  return { claims: claims.length, transitions: transitions.length };
}

/**
 * Rebuilds booking's tables (bookings, seat_claims, booking_transitions and the seat sequence)
 * from the store's booking streams, into a migrated database whose tables are all empty (refused
 * otherwise: a restore never merges into live data). One transaction: all or nothing.
 * `events` is every stored event in any order; only booking streams are read.
 */
export async function restoreBookingTables(pool: Pool, events: AsyncIterable<EventEnvelope>, onEvent?: (eventsRead: number) => void): Promise<BookingRestoreOutcome> {
  const streams = new Map<string, BookingStreamEvent[]>();
  const problems: Array<{ bookingId: string; reason: string }> = [];
  let eventsRead = 0;
  for await (const stored of events) {
    onEvent?.(++eventsRead);
    if (stored.stream.type !== 'booking') continue;
    const parsed = parseEvent(stored);
    if (!parsed.ok) problems.push({ bookingId: stored.stream.id, reason: `event ${stored.eventId}: ${parsed.reason}` });
    else streams.set(stored.stream.id, [...(streams.get(stored.stream.id) ?? []), parsed.value as BookingStreamEvent]);
  }
  const restored: RestoredBooking[] = [];
  for (const [bookingId, stream] of streams) {
    const outcome = bookingRowsFrom(bookingId, stream.sort((a, b) => a.streamVersion - b.streamVersion));
    if (outcome.kind === 'Restorable') restored.push(outcome.rows);
    else problems.push({ bookingId: outcome.bookingId, reason: outcome.reason });
  }
  if (problems.length > 0) return { kind: 'Unrestorable', problems };

  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // Taken before the check so a concurrent restore into the same database waits, then sees rows.
    await client.query('LOCK TABLE bookings IN EXCLUSIVE MODE');
    const table = await firstNonEmptyTable(client);
    if (table) {
      await client.query('ROLLBACK');
      return { kind: 'NotEmpty', table };
    }
    // Creation order, so the rows read back in the order the service wrote them.
    restored.sort((a, b) => a.booking.createdAt.getTime() - b.booking.createdAt.getTime() || a.booking.id.localeCompare(b.booking.id));
    let seatClaims = 0;
    let transitions = 0;
    for (let i = 0; i < restored.length; i += CHUNK) {
      const written = await insertChunk(client, restored.slice(i, i + CHUNK));
      seatClaims += written.claims;
      transitions += written.transitions;
    }
    // New holds must draw seat sequences above every one the history used (the seat projection drops smaller ones).
    const maxSeatSequence = Math.max(0, ...restored.map((r) => r.maxSeatSequence));
    if (maxSeatSequence > 0) await client.query(`SELECT setval('seat_sequence', $1)`, [maxSeatSequence]);
    await client.query('COMMIT');
    return { kind: 'Restored', bookings: restored.length, seatClaims, transitions, eventsRead };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

export interface BookingStateRow {
  status: BookingStatus;
  seatIds: string[];
  amount: number;
  version: number;
}

/** Every booking with its seats as the tables hold them now (for `history:verify`), by id. */
export async function readBookingStates(pool: Pool): Promise<Map<string, BookingStateRow>> {
  const { rows } = await pool.query<{ id: string; status: BookingStatus; amount: number; version: number; seat_ids: string[] }>(
    `SELECT b.id, b.status, b.amount, b.version,
            ARRAY(SELECT c.seat_id::text FROM seat_claims c WHERE c.booking_id = b.id ORDER BY c.seat_id) AS seat_ids
       FROM bookings b`,
  );
  return new Map(rows.map((row) => [row.id, { status: row.status, seatIds: row.seat_ids, amount: row.amount, version: row.version }]));
}
