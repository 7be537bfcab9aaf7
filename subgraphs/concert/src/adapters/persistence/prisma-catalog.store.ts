import type { Prisma, PrismaClient } from '../../../generated/prisma';
import type { CatalogStore, ProjectedSeat } from '../../application/ports';
import type { Concert, Schedule, Seat } from '../../domain/catalog';

const concertFields = { id: true, title: true, artist: true, venue: true, createdAt: true } satisfies Prisma.ConcertSelect;
const scheduleFields = { id: true, concertId: true, startsAt: true, bookingOpensAt: true, maxSeatsPerFan: true, refundCutoffHours: true, pricesFrozenAt: true, salesClosedAt: true } satisfies Prisma.ScheduleSelect;
const seatFields = {
  id: true,
  scheduleId: true,
  section: true,
  row: true,
  number: true,
  price: true,
  status: true,
} satisfies Prisma.SeatSelect;

/** Every method is a single SQL statement: DataLoader batches rely on that for "N references, one query". */
export function createPrismaCatalogStore(prisma: PrismaClient): CatalogStore {
  return {
    async listConcerts(after, limit): Promise<Concert[]> {
      return prisma.concert.findMany({
        select: concertFields,
        where: after
          ? { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] }
          : {},
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: limit,
      });
    },
    async findConcertsByIds(ids): Promise<Concert[]> {
      return prisma.concert.findMany({ select: concertFields, where: { id: { in: [...ids] } } });
    },
    async findSchedulesByIds(ids): Promise<Schedule[]> {
      return prisma.schedule.findMany({ select: scheduleFields, where: { id: { in: [...ids] } } });
    },
    async findSchedulesByConcertIds(concertIds): Promise<Schedule[]> {
      return prisma.schedule.findMany({
        select: scheduleFields,
        where: { concertId: { in: [...concertIds] } },
        orderBy: [{ startsAt: 'asc' }, { id: 'asc' }],
      });
    },
    async findSeatsByIds(ids): Promise<Seat[]> {
      return prisma.seat.findMany({ select: seatFields, where: { id: { in: [...ids] } } });
    },
    async findSeatsOfSchedule(scheduleId): Promise<ProjectedSeat[]> {
      const seats = await prisma.seat.findMany({ select: { ...seatFields, statusSequence: true }, where: { scheduleId } });
      // Booking's seatSequence is a JavaScript number (a safe integer) at its source; the column is a bigint.
      return seats.map((seat) => ({ ...seat, statusSequence: Number(seat.statusSequence) }));
    },
  };
}
