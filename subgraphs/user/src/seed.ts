import { createPgAdapter } from '@ticketing/platform';
import { PrismaClient } from '../generated/prisma';
import { ensureAdmin } from './application/ensure-admin.command';
import { createPrismaUserStore } from './adapters/persistence/prisma-user.store';
import { createEmailVault } from './adapters/security/email-vault';
import { createScryptPasswordHasher } from './adapters/security/scrypt-password.hasher';
import { loadUserConfig } from './config';

/** Creates the admin from ADMIN_EMAIL / ADMIN_PASSWORD unless it exists (the subgraph does too at start). */
export async function seedAdminAccount(env: NodeJS.ProcessEnv = process.env): Promise<'created' | 'exists'> {
  const config = loadUserConfig(env);
  const prisma = new PrismaClient({ adapter: createPgAdapter(config.USER_DATABASE_URL, 2), errorFormat: 'minimal' });
  try {
    const users = createPrismaUserStore(prisma, createEmailVault(config.DATA_ENCRYPTION_KEY));
    const passwords = createScryptPasswordHasher(config.PASSWORD_HASH_LOG2_COST);
    return await ensureAdmin({ users, passwords })({
      email: config.ADMIN_EMAIL,
      password: config.ADMIN_PASSWORD,
      name: config.ADMIN_NAME,
    });
  } finally {
    await prisma.$disconnect();
  }
}
