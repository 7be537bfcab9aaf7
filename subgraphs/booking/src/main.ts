import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import {
  asSubgraphResolvers,
  createLogger,
  createMetrics,
  createPgAdapter,
  identityFromRequest,
  startHttpService,
  stopOnSignals,
  type RunningService,
} from '@ticketing/platform';
import { PrismaClient } from '../generated/prisma';
import { listMyBookings } from './application/list-my-bookings.query';
import { createContextFactory, createResolvers } from './adapters/graphql/resolvers';
import { createPrismaBookingStore } from './adapters/persistence/prisma-booking.store';
import { loadBookingConfig, type BookingConfig } from './config';

const typeDefs = parse(readFileSync(path.join(__dirname, '..', 'schema.graphql'), 'utf8'));

/** Wires the booking subgraph from plain functions and starts it. */
export async function startBookingSubgraph(config: BookingConfig): Promise<RunningService> {
  const logger = createLogger('booking', config.LOG_LEVEL);
  const metrics = createMetrics('booking');
  const prisma = new PrismaClient({ adapter: createPgAdapter(config.BOOKING_DATABASE_URL), errorFormat: 'minimal' });
  const bookings = createPrismaBookingStore(prisma);
  const createContext = createContextFactory(bookings);
  return startHttpService({
    name: 'booking',
    host: config.HOST,
    port: config.BOOKING_PORT,
    logger,
    metrics,
    apollo: {
      schema: buildSubgraphSchema({
        typeDefs,
        resolvers: asSubgraphResolvers(createResolvers({ listMyBookings: listMyBookings({ bookings }) })),
      }),
      plugins: [ApolloServerPluginInlineTraceDisabled()],
    },
    context: async (req, requestId) => createContext(identityFromRequest(req, requestId, config.JWT_SECRET)),
    readiness: [{ name: 'postgres', check: () => prisma.$queryRaw`SELECT 1` }],
    onStop: [() => prisma.$disconnect()],
  });
}

if (require.main === module) {
  const config = loadBookingConfig();
  startBookingSubgraph(config).then(
    (service) => stopOnSignals(service.stop, createLogger('booking', config.LOG_LEVEL)),
    (error: unknown) => {
      createLogger('booking').fatal({ err: error }, 'failed to start');
      process.exit(1);
    },
  );
}
