import { z } from 'zod';
import { baseConfigSchema, loadConfig, ports, secretSetting } from '@ticketing/platform';
import { ADMITS_PER_SECOND, MAX_ACTIVE } from './domain/admission-policy';

export const queueConfigSchema = baseConfigSchema.extend({
  QUEUE_PORT: ports.queue,
  QUEUE_DATABASE_URL: z.string().default('postgresql://ticketing:ticketing@127.0.0.1:5432/ticketing_queue'),
  /** Default admission rate for a schedule without its own policy; same bounds as an admin's change. */
  QUEUE_ADMITS_PER_SECOND: z.coerce.number().int().min(ADMITS_PER_SECOND.min).max(ADMITS_PER_SECOND.max).default(50),
  /** Default cap on fans shopping at once for a schedule without its own policy. */
  QUEUE_MAX_ACTIVE: z.coerce.number().int().min(MAX_ACTIVE.min).max(MAX_ACTIVE.max).default(1000),
  /** How long an admitted (ACTIVE) ticket lets its holder book before it expires (API.md: default 600). */
  QUEUE_ACTIVE_TTL_SECONDS: z.coerce.number().int().min(1).max(24 * 60 * 60).default(600),
  /**
   * Signs queue tokens (HMAC-SHA256). Every queue process of a deployment needs the same value;
   * changing it invalidates every token in circulation.
   */
  QUEUE_TOKEN_SECRET: secretSetting('QUEUE_TOKEN_SECRET'),
  /** Signs admission passes (HMAC-SHA256) for booking to check (ADR 0013): the same value in every queue and booking process. */
  ADMISSION_PASS_SECRET: secretSetting('ADMISSION_PASS_SECRET'),
  /** How often each process takes every live waiting room one admission step. */
  ADMISSION_TICK_MS: z.coerce.number().int().min(10).max(5_000).default(100),
  /** The concert subgraph's GraphQL endpoint: the queue asks it whether a schedule exists and when it opens. */
  CONCERT_URL: z.string().url().default('http://127.0.0.1:4002/graphql'),
});

export type QueueConfig = z.infer<typeof queueConfigSchema>;
export const loadQueueConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig(queueConfigSchema, env);
