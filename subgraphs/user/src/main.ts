import { randomUUID } from 'node:crypto';
import path from 'node:path';
import {
  createLogger,
  createMetrics,
  createPgPool,
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
import { changeRole } from './application/change-role.command';
import { ensureAdmin } from './application/ensure-admin.command';
import { listUsers } from './application/list-users.query';
import { lockUser, unlockUser } from './application/lock-user.command';
import { logIn } from './application/log-in.command';
import { signUp } from './application/sign-up.command';
import { createContextFactory, createResolvers } from './adapters/graphql/resolvers';
import { createUserMessaging } from './adapters/messaging/user-messaging';
import { createPgUserStore } from './adapters/persistence/pg-user.store';
import { createRedisAccountStandingNotifier } from './adapters/redis/redis-account-standing.notifier';
import { createEmailVault } from './adapters/security/email-vault';
import { createScryptPasswordHasher } from './adapters/security/scrypt-password.hasher';
import { loadUserConfig, type UserConfig } from './config';

/** Wires the user subgraph from plain functions and starts it. */
export async function startUserSubgraph(config: UserConfig): Promise<RunningService> {
  const logger = createLogger('user', config.LOG_LEVEL);
  const metrics = createMetrics('user');
  // One pg pool for reads, writes and the outbox relay: an account's events share its transaction.
  const pool = createPgPool(config.USER_DATABASE_URL, { max: config.PG_POOL_MAX, logger, name: 'user', registry: metrics.registry, maxPreparedStatements: config.PG_PREPARED_STATEMENTS });
  const vault = createEmailVault(config.DATA_ENCRYPTION_KEY);
  const users = createPgUserStore(pool, vault);
  const stamp = { newId: randomUUID, clock: () => new Date() };
  const messaging = createUserMessaging({ brokers: config.KAFKA_BROKERS, topicPrefix: config.KAFKA_TOPIC_PREFIX, pool, logger, registry: metrics.registry });
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

  const admin = await ensureAdmin({ users, passwords, ...stamp })({
    email: config.ADMIN_EMAIL,
    password: config.ADMIN_PASSWORD,
    name: config.ADMIN_NAME,
  });
  if (admin === 'created') logger.info({ email: config.ADMIN_EMAIL }, 'admin account created');

  const dummyHash = await passwords.hash('timing-equaliser-for-unknown-accounts');
  const createContext = createContextFactory(users);
  const signUpCommand = signUp({ users, passwords, issueToken, ...stamp });
  const standing = createRedisAccountStandingNotifier(redis, config.REDIS_KEY_PREFIX);
  const accountDeps = { users, standing, ...stamp };
  // A committed change wrote its event: publish now rather than at the next poll.
  const nudging =
    <A extends unknown[], R>(command: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const result = await command(...args);
      messaging.relay.nudge();
      return result;
    };
  const service = await startSubgraph({
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
      signUp: nudging(signUpCommand),
      logIn: logIn({ users, passwords, issueToken, dummyHash, attempts: loginAttempts, accountKey: vault.index }),
      listUsers: listUsers({ users }),
      setUserRole: nudging(changeRole(accountDeps)),
      lockUser: nudging(lockUser(accountDeps)),
      unlockUser: nudging(unlockUser(accountDeps)),
      users,
    }),
    context: createContext,
    readiness: [
      { name: 'postgres', check: () => pool.query('SELECT 1') },
      { name: 'kafka', check: messaging.check },
    ],
    // After HTTP drained: drain the relay, then close the pool.
    onStop: [() => messaging.stop(), () => pool.end(), () => redis.quit()],
  });
  // Only once HTTP is up, so /health answers (and /ready explains) while Kafka is still being reached.
  void messaging.start();
  return service;
}

if (require.main === module) runService('user', loadUserConfig, startUserSubgraph);
