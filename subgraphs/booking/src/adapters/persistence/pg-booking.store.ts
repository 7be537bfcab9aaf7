import type { Pool } from 'pg';
import type { BookingCursor, BookingDetails, BookingStore } from '../../application/ports';
import { bookingFromRow, detailsFromRow, DETAILS_COLUMNS, type BookingRowCore, type DetailsColumns } from './booking-row';

type BookingRow = BookingRowCore & DetailsColumns;

/**
 * A booking with its seats and its history in one statement, so one snapshot. Read as separate
 * statements (as Prisma's `include` does), a transition committing in between gave an old status
 * beside a newer history; `bookingUpdated`, which takes the version from the history, then
 * announced the old status under the new version and dropped the real next status as stale.
 */
const SELECT_DETAILS = `
  SELECT b.id, b.user_id, b.schedule_id, b.status::text AS status, b.amount, b.held_until, b.version, ${DETAILS_COLUMNS},
         ARRAY(SELECT c.seat_id::text FROM seat_claims c WHERE c.booking_id = b.id ORDER BY c.seat_id) AS seat_ids
    FROM bookings b`;

const toDetails = (row: BookingRow): BookingDetails => ({ ...bookingFromRow(row), ...detailsFromRow(row) });

/** WHERE conditions and their parameters: `bind` numbers a value, `add` takes a clause naming it. */
function conditions() {
  const clauses: string[] = [];
  const values: unknown[] = [];
  return {
    bind(value: unknown) {
      values.push(value);
      return `$${values.length}`;
    },
    add(clause: string) {
      clauses.push(clause);
    },
    sql: () => clauses.join(' AND '),
    values,
  };
}

/**
 * Bookings as the API reads them, through pg on the service's pool (ADR 0010, amended): every
 * read here is hand-written SQL, and Prisma's runtime around it (its query compiler in wasm)
 * was about a seventh of booking's CPU per subscription opened (issue 10).
 */
export function createPgBookingStore(pool: Pool): BookingStore {
  const page = async (where: ReturnType<typeof conditions>, first: number) => {
    // Keyset on (created_at, id), newest first; one extra row tells whether another page exists.
    const limit = where.bind(first + 1);
    const { rows } = await pool.query<BookingRow>(`${SELECT_DETAILS} WHERE ${where.sql()} ORDER BY b.created_at DESC, b.id DESC LIMIT ${limit}`, where.values);
    return { bookings: rows.slice(0, first).map(toDetails), hasNextPage: rows.length > first };
  };
  const after = (where: ReturnType<typeof conditions>, cursor: BookingCursor | null) => {
    if (cursor) where.add(`(b.created_at, b.id) < (${where.bind(cursor.createdAt)}::timestamptz, ${where.bind(cursor.id)}::uuid)`);
    return where;
  };

  return {
    async findByIds(ids) {
      if (ids.length === 0) return [];
      const { rows } = await pool.query<BookingRow>(`${SELECT_DETAILS} WHERE b.id = ANY($1::uuid[])`, [[...ids]]);
      return rows.map(toDetails);
    },
    listByUser({ userId, first, after: cursor }) {
      const where = conditions();
      where.add(`b.user_id = ${where.bind(userId)}::uuid`);
      return page(after(where, cursor), first);
    },
    listBySchedule({ scheduleId, filter, first, after: cursor }) {
      // The (schedule_id, created_at, id) index walks newest first; the other filters are checked on the rows it yields.
      const where = conditions();
      where.add(`b.schedule_id = ${where.bind(scheduleId)}::uuid`);
      if (filter.status) where.add(`b.status = ${where.bind(filter.status)}::"BookingStatus"`);
      if (filter.userId) where.add(`b.user_id = ${where.bind(filter.userId)}::uuid`);
      if (filter.createdFrom) where.add(`b.created_at >= ${where.bind(filter.createdFrom)}`);
      if (filter.createdBefore) where.add(`b.created_at < ${where.bind(filter.createdBefore)}`);
      return page(after(where, cursor), first);
    },
  };
}
