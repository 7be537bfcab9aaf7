import { randomUUID } from 'node:crypto';
import { createLogger, createPgPool } from '@ticketing/platform';
import { ensureAdmin } from './application/ensure-admin.command';
import { createPgUserStore } from './adapters/persistence/pg-user.store';
import { createEmailVault } from './adapters/security/email-vault';
import { createScryptPasswordHasher } from './adapters/security/scrypt-password.hasher';
import { loadUserConfig } from './config';

/** Creates the admin from ADMIN_EMAIL / ADMIN_PASSWORD unless it exists (the subgraph does too at start). */
export async function seedAdminAccount(env: NodeJS.ProcessEnv = process.env): Promise<'created' | 'exists'> {
  const config = loadUserConfig(env);
  const pool = createPgPool(config.USER_DATABASE_URL, { max: 2, logger: createLogger('user-seed', config.LOG_LEVEL), name: 'user-seed' });
  try {
    const users = createPgUserStore(pool, createEmailVault(config.DATA_ENCRYPTION_KEY));
    const passwords = createScryptPasswordHasher(config.PASSWORD_HASH_LOG2_COST);
    // The admin's UserRegistered waits in the outbox for the user subgraph's relay.
    return await ensureAdmin({ users, passwords, newId: randomUUID, clock: () => new Date() })({
      email: config.ADMIN_EMAIL,
      password: config.ADMIN_PASSWORD,
      name: config.ADMIN_NAME,
    });
  } finally {
    await pool.end();
  }
}
