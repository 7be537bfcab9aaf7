import { Prisma, type PrismaClient } from '../../../generated/prisma';
import type { BookingDetails, BookingStore } from '../../application/ports';
import type { BookingStatus } from '../../domain/booking';

interface BookingRow {
  id: string;
  user_id: string;
  schedule_id: string;
  status: BookingStatus;
  amount: number;
  held_until: Date | null;
  version: number;
  created_at: Date;
  guest_name: string | null;
  seat_ids: string[];
  history: Array<{ status: BookingStatus; at: string; reason: string | null }>;
}

/**
 * A booking with its seats and its history in one statement, so one snapshot. Read as separate
 * statements (as Prisma's `include` does), a transition committing in between gave an old status
 * beside a newer history; `bookingUpdated`, which takes the version from the history, then
 * announced the old status under the new version and dropped the real next status as stale.
 */
const SELECT_DETAILS = Prisma.sql`
  SELECT b.id, b.user_id, b.schedule_id, b.status::text AS status, b.amount, b.held_until, b.version, b.created_at, b.guest_name,
         ARRAY(SELECT c.seat_id::text FROM seat_claims c WHERE c.booking_id = b.id ORDER BY c.seat_id) AS seat_ids,
         COALESCE((SELECT json_agg(json_build_object('status', t.status, 'at', t.at, 'reason', t.reason) ORDER BY t.version)
                     FROM booking_transitions t WHERE t.booking_id = b.id), '[]'::json) AS history
    FROM bookings b`;

function toDetails(row: BookingRow): BookingDetails {
  return {
    id: row.id,
    userId: row.user_id,
    scheduleId: row.schedule_id,
    seatIds: row.seat_ids,
    status: row.status,
    amount: row.amount,
    heldUntil: row.held_until,
    version: row.version,
    createdAt: row.created_at,
    guestName: row.guest_name,
    history: row.history.map((t) => ({ status: t.status, at: new Date(t.at), reason: t.reason })),
  };
}

export function createPrismaBookingStore(prisma: PrismaClient): BookingStore {
  return {
    async findByIds(ids) {
      if (ids.length === 0) return [];
      const rows = await prisma.$queryRaw<BookingRow[]>`${SELECT_DETAILS} WHERE b.id = ANY(${[...ids]}::uuid[])`;
      return rows.map(toDetails);
    },
    async listByUser({ userId, first, after }) {
      // Keyset on (created_at, id), newest first; one extra row tells whether another page exists.
      const rows = await prisma.$queryRaw<BookingRow[]>`${SELECT_DETAILS}
        WHERE b.user_id = ${userId}::uuid
          ${after ? Prisma.sql`AND (b.created_at, b.id) < (${after.createdAt}::timestamptz, ${after.id}::uuid)` : Prisma.empty}
        ORDER BY b.created_at DESC, b.id DESC
        LIMIT ${first + 1}`;
      return { bookings: rows.slice(0, first).map(toDetails), hasNextPage: rows.length > first };
    },
    async listBySchedule({ scheduleId, filter, first, after }) {
      // The (schedule_id, created_at, id) index walks newest first; the other filters are checked on the rows it yields.
      const rows = await prisma.$queryRaw<BookingRow[]>`${SELECT_DETAILS}
        WHERE b.schedule_id = ${scheduleId}::uuid
          ${filter.status ? Prisma.sql`AND b.status = ${filter.status}::"BookingStatus"` : Prisma.empty}
          ${filter.userId ? Prisma.sql`AND b.user_id = ${filter.userId}::uuid` : Prisma.empty}
          ${filter.createdFrom ? Prisma.sql`AND b.created_at >= ${filter.createdFrom}` : Prisma.empty}
          ${filter.createdBefore ? Prisma.sql`AND b.created_at < ${filter.createdBefore}` : Prisma.empty}
          ${after ? Prisma.sql`AND (b.created_at, b.id) < (${after.createdAt}::timestamptz, ${after.id}::uuid)` : Prisma.empty}
        ORDER BY b.created_at DESC, b.id DESC
        LIMIT ${first + 1}`;
      return { bookings: rows.slice(0, first).map(toDetails), hasNextPage: rows.length > first };
    },
  };
}
