import path from 'node:path';
import { createLogger, createMetrics, createPgAdapter, runService, startSubgraph, type RunningService } from '@ticketing/platform';
import { PrismaClient } from '../generated/prisma';
import { chargeWallet } from './application/charge-wallet.command';
import { createContextFactory, createResolvers } from './adapters/graphql/resolvers';
import { createPrismaWalletStore } from './adapters/persistence/prisma-wallet.store';
import { loadPaymentConfig, type PaymentConfig } from './config';

/** Wires the payment subgraph from plain functions and starts it. */
export async function startPaymentSubgraph(config: PaymentConfig): Promise<RunningService> {
  const prisma = new PrismaClient({ adapter: createPgAdapter(config.PAYMENT_DATABASE_URL), errorFormat: 'minimal' });
  const wallets = createPrismaWalletStore(prisma);
  return startSubgraph({
    name: 'payment',
    host: config.HOST,
    port: config.PAYMENT_PORT,
    jwtSecret: config.JWT_SECRET,
    root: path.join(__dirname, '..'),
    resolvers: createResolvers({ chargeWallet: chargeWallet({ wallets }) }),
    logger: createLogger('payment', config.LOG_LEVEL),
    metrics: createMetrics('payment'),
    context: createContextFactory(wallets),
    readiness: [{ name: 'postgres', check: () => prisma.$queryRaw`SELECT 1` }],
    onStop: [() => prisma.$disconnect()],
  });
}

if (require.main === module) runService('payment', loadPaymentConfig, startPaymentSubgraph);
