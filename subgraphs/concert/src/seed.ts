import { randomUUID } from 'node:crypto';
import { createLogger, createPgPool } from '@ticketing/platform';
import { addSeats } from './application/add-seats.command';
import { createConcert } from './application/create-concert.command';
import { createSchedule } from './application/create-schedule.command';
import { CatalogRowExists, type CatalogWriter } from './application/ports';
import { createPgCatalogWriter } from './adapters/persistence/pg-catalog.writer';
import { loadConcertConfig } from './config';
import type { NewSeat } from './domain/seat-layout';
import { DEFAULT_MAX_SEATS_PER_FAN, DEFAULT_REFUND_CUTOFF_HOURS } from './domain/schedule-terms';

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

function seatsOf(): NewSeat[] {
  return SECTIONS.flatMap(({ section, rows, price }) =>
    Array.from({ length: rows }, (_, r) => Array.from({ length: SEATS_PER_ROW }, (_, n) => ({ section, row: String(r + 1), number: n + 1, price }))).flat(),
  );
}

/**
 * Creates the demo catalog (2 concerts × 2 schedules × 120 seats; one schedule of each concert
 * open now, the other opening later) only when the catalog is empty, so it never mixes demo
 * data into a real one. Safe to run on every start and from two processes at once. It goes
 * through the catalog's commands in one transaction, so the catalog's events (ConcertCreated,
 * ScheduleCreated, SeatsAdded) are in the outbox exactly when the rows are.
 */
export async function seedDemoCatalog(writer: CatalogWriter, now: Date = new Date(), newId: () => string = randomUUID): Promise<'created' | 'exists'> {
  const { concerts, schedules } = DEMO_IDS;
  const at = (offset: number) => new Date(now.getTime() + offset);
  const context = { now, correlationId: `seed-${newId()}`, causationId: null, newId };
  const demoConcerts = [
    { id: concerts.midnightAurora, title: 'Midnight Aurora Tour', artist: 'Seoul Lights', venue: 'KSPO Dome, Seoul' },
    { id: concerts.echoesOfSpring, title: 'Echoes of Spring', artist: 'Han River Orchestra', venue: 'Olympic Hall, Seoul' },
  ];
  const demoSchedules = [
    { id: schedules.midnightAuroraNight1, concertId: concerts.midnightAurora, bookingOpensAt: at(-HOUR), startsAt: at(30 * DAY) },
    { id: schedules.midnightAuroraNight2, concertId: concerts.midnightAurora, bookingOpensAt: at(7 * DAY), startsAt: at(31 * DAY) },
    { id: schedules.echoesOfSpringMatinee, concertId: concerts.echoesOfSpring, bookingOpensAt: at(-DAY), startsAt: at(14 * DAY) },
    { id: schedules.echoesOfSpringEvening, concertId: concerts.echoesOfSpring, bookingOpensAt: at(3 * DAY), startsAt: at(45 * DAY) },
  ];
  try {
    return await writer.transact(async (tx) => {
      if ((await tx.concertCount()) > 0) return 'exists';
      // One transaction: both concerts get its timestamp, and the newest-first listing breaks the tie by id (Echoes of Spring first).
      for (const concert of demoConcerts) await createConcert(tx, concert, context);
      for (const schedule of demoSchedules) {
        const created = await createSchedule(tx, { ...schedule, maxSeatsPerFan: DEFAULT_MAX_SEATS_PER_FAN, refundCutoffHours: DEFAULT_REFUND_CUTOFF_HOURS }, context);
        if (created.kind !== 'ScheduleCreated') throw new Error(`demo schedule ${schedule.id}: ${created.kind}`);
        // The demo layout is each schedule's whole layout, so it is its own cap.
        const seats = seatsOf();
        const seated = await addSeats(tx, schedule.id, seats, context, { maxSeatsPerSchedule: seats.length });
        if (seated.kind !== 'SeatsAdded') throw new Error(`demo seats of ${schedule.id}: ${seated.kind}`);
      }
      return 'created';
    });
  } catch (error) {
    // A concurrent seeder inserted the same fixed ids first.
    if (error instanceof CatalogRowExists) return 'exists';
    throw error;
  }
}

/** `npm run seed` entry: seeds the database named by CONCERT_DATABASE_URL. */
export async function seedConcertCatalog(env: NodeJS.ProcessEnv = process.env): Promise<'created' | 'exists'> {
  const config = loadConcertConfig(env);
  const pool = createPgPool(config.CONCERT_DATABASE_URL, { max: 1, logger: createLogger('concert-seed', config.LOG_LEVEL), name: 'concert-seed' });
  try {
    return await seedDemoCatalog(createPgCatalogWriter(pool));
  } finally {
    await pool.end();
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
