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
import { getQueuePolicy } from './application/get-queue-policy.query';
import { setQueuePolicy } from './application/set-queue-policy.command';
import { createResolvers } from './adapters/graphql/resolvers';
import { createPrismaAdmissionPolicyStore } from './adapters/persistence/prisma-admission-policy.store';
import type { Context } from './adapters/graphql/models';
import { loadQueueConfig, type QueueConfig } from './config';

const typeDefs = parse(readFileSync(path.join(__dirname, '..', 'schema.graphql'), 'utf8'));

/** Wires the queue subgraph from plain functions and starts it. */
export async function startQueueSubgraph(config: QueueConfig): Promise<RunningService> {
  const logger = createLogger('queue', config.LOG_LEVEL);
  const metrics = createMetrics('queue');
  const prisma = new PrismaClient({ adapter: createPgAdapter(config.QUEUE_DATABASE_URL), errorFormat: 'minimal' });
  const policies = createPrismaAdmissionPolicyStore(prisma);
  const defaults = { admitsPerSecond: config.QUEUE_ADMITS_PER_SECOND, maxActive: config.QUEUE_MAX_ACTIVE, paused: false };
  return startHttpService<Context>({
    name: 'queue',
    host: config.HOST,
    port: config.QUEUE_PORT,
    logger,
    metrics,
    apollo: {
      schema: buildSubgraphSchema({
        typeDefs,
        resolvers: asSubgraphResolvers(
          createResolvers({
            getQueuePolicy: getQueuePolicy({ policies, defaults }),
            setQueuePolicy: setQueuePolicy({ policies, defaults }),
          }),
        ),
      }),
      plugins: [ApolloServerPluginInlineTraceDisabled()],
    },
    context: async (req, requestId) => identityFromRequest(req, requestId, config.JWT_SECRET),
    readiness: [{ name: 'postgres', check: () => prisma.$queryRaw`SELECT 1` }],
    onStop: [() => prisma.$disconnect()],
  });
}

if (require.main === module) {
  const config = loadQueueConfig();
  startQueueSubgraph(config).then(
    (service) => stopOnSignals(service.stop, createLogger('queue', config.LOG_LEVEL)),
    (error: unknown) => {
      createLogger('queue').fatal({ err: error }, 'failed to start');
      process.exit(1);
    },
  );
}
