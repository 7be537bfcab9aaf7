import { z } from 'zod';
import { baseConfigSchema, loadConfig, ports } from '@ticketing/platform';

export const userConfigSchema = baseConfigSchema.extend({
  USER_PORT: ports.user,
  USER_DATABASE_URL: z.string().default('postgresql://ticketing:ticketing@127.0.0.1:5432/ticketing_user'),
  /** log2 of scrypt's N. 15 (32 MiB) in production; tests may lower it, never below 10. */
  PASSWORD_HASH_LOG2_COST: z.coerce.number().int().min(10).max(20).default(15),
  /** Master key for e-mail encryption at rest and its blind index. Change it in production. */
  DATA_ENCRYPTION_KEY: z.string().min(16).default('dev-only-data-key-change-me'),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().positive().default(12 * 60 * 60),
  ADMIN_EMAIL: z.string().default('admin@ticketing.local'),
  ADMIN_PASSWORD: z.string().default('admin-password-change-me'),
  ADMIN_NAME: z.string().default('Admin'),
});

export type UserConfig = z.infer<typeof userConfigSchema>;
export const loadUserConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig(userConfigSchema, env);
