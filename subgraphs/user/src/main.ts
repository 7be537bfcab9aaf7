import path from 'node:path';
import {
  createLogger,
  createMetrics,
  createPgAdapter,
  createRedis,
  escalatingLimiter,
  accessTokenSettings,
  isProduction,
  issueAccessToken,
  queryLimitsFromConfig,
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
  const vault = createEmailVault(config.DATA_ENCRYPTION_KEY);
  const users = createPrismaUserStore(prisma, vault);
  const redis = createRedis(config.REDIS_URL, config.REDIS_KEY_PREFIX);
  const loginAttempts = escalatingLimiter(redis, {
    name: 'login:account',
    points: config.LOGIN_LOCKOUT_AFTER_FAILURES,
    windowSeconds: config.LOGIN_FAILURE_WINDOW_SECONDS,
    blockSeconds: config.LOGIN_LOCKOUT_SECONDS,
    maxBlockSeconds: config.LOGIN_LOCKOUT_MAX_SECONDS,
  });
  const passwords = createScryptPasswordHasher(config.PASSWORD_HASH_LOG2_COST);
  const issueToken = (user: { id: string; role: 'USER' | 'ADMIN' }) =>
    issueAccessToken({ userId: user.id, role: user.role }, accessTokenSettings(config));

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
    accessTokens: accessTokenSettings(config),
    queryLimits: queryLimitsFromConfig(config),
    production: isProduction(config),
    root: path.join(__dirname, '..'),
    logger,
    metrics,
    resolvers: createResolvers({
      signUp: signUp({ users, passwords, issueToken }),
      logIn: logIn({ users, passwords, issueToken, dummyHash, attempts: loginAttempts, accountKey: vault.index }),
      users,
    }),
    context: createContext,
    readiness: [{ name: 'postgres', check: () => prisma.$queryRaw`SELECT 1` }],
    onStop: [() => prisma.$disconnect(), () => redis.quit()],
  });
}

if (require.main === module) runService('user', loadUserConfig, startUserSubgraph);
