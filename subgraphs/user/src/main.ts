import path from 'node:path';
import {
  createLogger,
  createMetrics,
  createPgAdapter,
  issueAccessToken,
  runService,
  startSubgraph,
  type RunningService,
} from '@ticketing/platform';
import { PrismaClient } from '../generated/prisma';
import { ensureAdmin } from './application/ensure-admin.command';
import { logIn } from './application/log-in.command';
import { signUp } from './application/sign-up.command';
import { createContextFactory, createResolvers } from './adapters/graphql/resolvers';
import { createPrismaUserStore } from './adapters/persistence/prisma-user.store';
import { createEmailVault } from './adapters/security/email-vault';
import { createScryptPasswordHasher } from './adapters/security/scrypt-password.hasher';
import { loadUserConfig, type UserConfig } from './config';

/** Wires the user subgraph from plain functions and starts it. */
export async function startUserSubgraph(config: UserConfig): Promise<RunningService> {
  const logger = createLogger('user', config.LOG_LEVEL);
  const metrics = createMetrics('user');
  const prisma = new PrismaClient({ adapter: createPgAdapter(config.USER_DATABASE_URL), errorFormat: 'minimal' });
  const users = createPrismaUserStore(prisma, createEmailVault(config.DATA_ENCRYPTION_KEY));
  const passwords = createScryptPasswordHasher(config.PASSWORD_HASH_LOG2_COST);
  const issueToken = (user: { id: string; role: 'USER' | 'ADMIN' }) =>
    issueAccessToken({ userId: user.id, role: user.role }, config.JWT_SECRET, config.ACCESS_TOKEN_TTL_SECONDS);

  const admin = await ensureAdmin({ users, passwords })({
    email: config.ADMIN_EMAIL,
    password: config.ADMIN_PASSWORD,
    name: config.ADMIN_NAME,
  });
  if (admin === 'created') logger.info({ email: config.ADMIN_EMAIL }, 'admin account created');

  const dummyHash = await passwords.hash('timing-equaliser-for-unknown-accounts');
  const createContext = createContextFactory(users);
  return startSubgraph({
    name: 'user',
    host: config.HOST,
    port: config.USER_PORT,
    jwtSecret: config.JWT_SECRET,
    root: path.join(__dirname, '..'),
    logger,
    metrics,
    resolvers: createResolvers({
      signUp: signUp({ users, passwords, issueToken }),
      logIn: logIn({ users, passwords, issueToken, dummyHash }),
      users,
    }),
    context: createContext,
    readiness: [{ name: 'postgres', check: () => prisma.$queryRaw`SELECT 1` }],
    onStop: [() => prisma.$disconnect()],
  });
}

if (require.main === module) runService('user', loadUserConfig, startUserSubgraph);
