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
import { chargeWallet } from './application/charge-wallet.command';
import { createContextFactory, createResolvers } from './adapters/graphql/resolvers';
import { createPrismaWalletStore } from './adapters/persistence/prisma-wallet.store';
import { loadPaymentConfig, type PaymentConfig } from './config';

const typeDefs = parse(readFileSync(path.join(__dirname, '..', 'schema.graphql'), 'utf8'));

/** Wires the payment subgraph from plain functions and starts it. */
export async function startPaymentSubgraph(config: PaymentConfig): Promise<RunningService> {
  const logger = createLogger('payment', config.LOG_LEVEL);
  const metrics = createMetrics('payment');
  const prisma = new PrismaClient({ adapter: createPgAdapter(config.PAYMENT_DATABASE_URL), errorFormat: 'minimal' });
  const wallets = createPrismaWalletStore(prisma);
  const createContext = createContextFactory(wallets);
  return startHttpService({
    name: 'payment',
    host: config.HOST,
    port: config.PAYMENT_PORT,
    logger,
    metrics,
    apollo: {
      schema: buildSubgraphSchema({
        typeDefs,
        resolvers: asSubgraphResolvers(createResolvers({ chargeWallet: chargeWallet({ wallets }) })),
      }),
      plugins: [ApolloServerPluginInlineTraceDisabled()],
    },
    context: async (req, requestId) => createContext(identityFromRequest(req, requestId, config.JWT_SECRET)),
    readiness: [{ name: 'postgres', check: () => prisma.$queryRaw`SELECT 1` }],
    onStop: [() => prisma.$disconnect()],
  });
}

if (require.main === module) {
  const config = loadPaymentConfig();
  startPaymentSubgraph(config).then(
    (service) => stopOnSignals(service.stop, createLogger('payment', config.LOG_LEVEL)),
    (error: unknown) => {
      createLogger('payment').fatal({ err: error }, 'failed to start');
      process.exit(1);
    },
  );
}
