import type { Prisma, PrismaClient } from '../../../generated/prisma';
import type { BookingDetails, BookingStore } from '../../application/ports';

// Seats and history come in one extra query each per batch (WHERE booking_id IN ...), not per booking.
const withSeatsAndHistory = {
  seats: { select: { seatId: true }, orderBy: { seatId: 'asc' } },
  transitions: { orderBy: { version: 'asc' } },
} satisfies Prisma.BookingInclude;

type BookingRow = Prisma.BookingGetPayload<{ include: typeof withSeatsAndHistory }>;

function toDetails(row: BookingRow): BookingDetails {
  return {
    id: row.id,
    userId: row.userId,
    scheduleId: row.scheduleId,
    seatIds: row.seats.map((seat) => seat.seatId),
    status: row.status,
    amount: row.amount,
    heldUntil: row.heldUntil,
    version: row.version,
    createdAt: row.createdAt,
    history: row.transitions.map((t) => ({ status: t.status, at: t.at, reason: t.reason })),
  };
}

export function createPrismaBookingStore(prisma: PrismaClient): BookingStore {
  return {
    async findByIds(ids) {
      const rows = await prisma.booking.findMany({ where: { id: { in: [...ids] } }, include: withSeatsAndHistory });
      return rows.map(toDetails);
    },
    async listByUser({ userId, first, after }) {
      const rows = await prisma.booking.findMany({
        where: {
          userId,
          // Row-value comparison (created_at, id) < (after.createdAt, after.id), spelled out for Prisma.
          ...(after && {
            OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }],
          }),
        },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        // One extra row tells whether another page exists without a count query.
        take: first + 1,
        include: withSeatsAndHistory,
      });
      return { bookings: rows.slice(0, first).map(toDetails), hasNextPage: rows.length > first };
    },
  };
}
