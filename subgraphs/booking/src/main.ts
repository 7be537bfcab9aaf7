import path from 'node:path';
import { createLogger, createMetrics, createPgAdapter, runService, startSubgraph, type RunningService } from '@ticketing/platform';
import { PrismaClient } from '../generated/prisma';
import { listMyBookings } from './application/list-my-bookings.query';
import { createContextFactory, createResolvers } from './adapters/graphql/resolvers';
import { createPrismaBookingStore } from './adapters/persistence/prisma-booking.store';
import { loadBookingConfig, type BookingConfig } from './config';

/** Wires the booking subgraph from plain functions and starts it. */
export async function startBookingSubgraph(config: BookingConfig): Promise<RunningService> {
  const prisma = new PrismaClient({ adapter: createPgAdapter(config.BOOKING_DATABASE_URL), errorFormat: 'minimal' });
  const bookings = createPrismaBookingStore(prisma);
  return startSubgraph({
    name: 'booking',
    host: config.HOST,
    port: config.BOOKING_PORT,
    jwtSecret: config.JWT_SECRET,
    root: path.join(__dirname, '..'),
    resolvers: createResolvers({ listMyBookings: listMyBookings({ bookings }) }),
    logger: createLogger('booking', config.LOG_LEVEL),
    metrics: createMetrics('booking'),
    context: createContextFactory(bookings),
    readiness: [{ name: 'postgres', check: () => prisma.$queryRaw`SELECT 1` }],
    onStop: [() => prisma.$disconnect()],
  });
}

if (require.main === module) runService('booking', loadBookingConfig, startBookingSubgraph);
