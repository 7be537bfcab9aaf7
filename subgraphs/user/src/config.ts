import { z } from 'zod';
import { baseConfigSchema, limitSetting, loadConfig, ports, secretSetting } from '@ticketing/platform';

export const userConfigSchema = baseConfigSchema.extend({
  USER_PORT: ports.user,
  USER_DATABASE_URL: z.string().default('postgresql://ticketing:ticketing@127.0.0.1:5432/ticketing_user'),
  /** The pg pool for accounts and the outbox relay. */
  PG_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
  /** log2 of scrypt's N. 15 (32 MiB) in production; tests may lower it, never below 10. */
  PASSWORD_HASH_LOG2_COST: z.coerce.number().int().min(10).max(20).default(15),
  /** Master key for e-mail encryption at rest and its blind index; changing it orphans stored e-mails. */
  DATA_ENCRYPTION_KEY: secretSetting('DATA_ENCRYPTION_KEY'),
  ADMIN_EMAIL: z.string().default('admin@ticketing.local'),
  ADMIN_PASSWORD: z.string().default('admin-password-change-me'),
  ADMIN_NAME: z.string().default('Admin'),
  /** Failed logins in a row (within the failure window) an account may have; the next attempt locks it out. */
  LOGIN_LOCKOUT_AFTER_FAILURES: limitSetting(5),
  LOGIN_FAILURE_WINDOW_SECONDS: limitSetting(3600),
  /** The first lock-out; each further one within a day doubles it, up to the max. */
  LOGIN_LOCKOUT_SECONDS: limitSetting(60),
  LOGIN_LOCKOUT_MAX_SECONDS: limitSetting(3600),
});

export type UserConfig = z.infer<typeof userConfigSchema>;
export const loadUserConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig(userConfigSchema, env);
