import { createLogger, createPgAdapter } from '@ticketing/platform';
import { Prisma, PrismaClient } from '../generated/prisma';
import { loadConcertConfig } from './config';

/** Fixed ids so docs, load scenarios and the playground can name the demo catalog. */
export const DEMO_IDS = {
  concerts: {
    midnightAurora: 'c0c0c0c0-0000-4000-8000-000000000001',
    echoesOfSpring: 'c0c0c0c0-0000-4000-8000-000000000002',
  },
  schedules: {
    /** Open for booking now. */
    midnightAuroraNight1: '5c4ed000-0000-4000-8000-000000000011',
    /** Opens 7 days after seeding. */
    midnightAuroraNight2: '5c4ed000-0000-4000-8000-000000000012',
    /** Open for booking now. */
    echoesOfSpringMatinee: '5c4ed000-0000-4000-8000-000000000021',
    /** Opens 3 days after seeding. */
    echoesOfSpringEvening: '5c4ed000-0000-4000-8000-000000000022',
  },
} as const;

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

/** 120 seats per schedule: A (VIP), B (R) and C (S), ten seats a row. */
const SECTIONS = [
  { section: 'A', rows: 2, price: 165_000 },
  { section: 'B', rows: 4, price: 132_000 },
  { section: 'C', rows: 6, price: 99_000 },
] as const;
const SEATS_PER_ROW = 10;

function seatsOf(scheduleId: string): Prisma.SeatCreateManyInput[] {
  return SECTIONS.flatMap(({ section, rows, price }) =>
    Array.from({ length: rows }, (_, r) =>
      Array.from({ length: SEATS_PER_ROW }, (_, n) => ({ scheduleId, section, row: String(r + 1), number: n + 1, price })),
    ).flat(),
  );
}

/**
 * Creates the demo catalog (2 concerts × 2 schedules × 120 seats; one schedule of each concert
 * open now, the other opening later) only when the catalog is empty, so it never mixes demo
 * data into a real one. Safe to run on every start and from two processes at once.
 */
export async function seedDemoCatalog(prisma: PrismaClient, now: Date = new Date()): Promise<'created' | 'exists'> {
  if ((await prisma.concert.count()) > 0) return 'exists';
  const { concerts, schedules } = DEMO_IDS;
  const at = (offset: number) => new Date(now.getTime() + offset);
  const scheduleRows = [
    { id: schedules.midnightAuroraNight1, concertId: concerts.midnightAurora, bookingOpensAt: at(-HOUR), startsAt: at(30 * DAY) },
    { id: schedules.midnightAuroraNight2, concertId: concerts.midnightAurora, bookingOpensAt: at(7 * DAY), startsAt: at(31 * DAY) },
    { id: schedules.echoesOfSpringMatinee, concertId: concerts.echoesOfSpring, bookingOpensAt: at(-DAY), startsAt: at(14 * DAY) },
    { id: schedules.echoesOfSpringEvening, concertId: concerts.echoesOfSpring, bookingOpensAt: at(3 * DAY), startsAt: at(45 * DAY) },
  ] satisfies Prisma.ScheduleCreateManyInput[];
  try {
    await prisma.$transaction([
      prisma.concert.createMany({
        data: [
          // Distinct creation times keep the newest-first listing order stable.
          { id: concerts.midnightAurora, title: 'Midnight Aurora Tour', artist: 'Seoul Lights', venue: 'KSPO Dome, Seoul', createdAt: at(-2 * 60_000) },
          { id: concerts.echoesOfSpring, title: 'Echoes of Spring', artist: 'Han River Orchestra', venue: 'Olympic Hall, Seoul', createdAt: at(-60_000) },
        ],
      }),
      prisma.schedule.createMany({ data: scheduleRows }),
      prisma.seat.createMany({ data: scheduleRows.flatMap((schedule) => seatsOf(schedule.id)) }),
    ]);
    return 'created';
  } catch (error) {
    // P2002: a concurrent seeder inserted the same fixed ids first.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') return 'exists';
    throw error;
  }
}

/** `npm run seed` entry: seeds the database named by CONCERT_DATABASE_URL. */
export async function seedConcertCatalog(env: NodeJS.ProcessEnv = process.env): Promise<'created' | 'exists'> {
  const config = loadConcertConfig(env);
  const prisma = new PrismaClient({ adapter: createPgAdapter(config.CONCERT_DATABASE_URL, 2), errorFormat: 'minimal' });
  try {
    return await seedDemoCatalog(prisma);
  } finally {
    await prisma.$disconnect();
  }
}

if (require.main === module) {
  const logger = createLogger('concert-seed');
  seedConcertCatalog().then(
    (result) => logger.info({ result, ids: DEMO_IDS }, 'demo catalog'),
    (error: unknown) => {
      logger.fatal({ err: error }, 'demo catalog seed failed');
      process.exit(1);
    },
  );
}
