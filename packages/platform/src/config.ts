import { z } from 'zod';

/**
 * Parses process.env (or any record) through a zod schema once at start-up, so a bad
 * deployment fails loudly before serving traffic instead of at the first request.
 */
export function loadConfig<T extends z.ZodType>(schema: T, env: NodeJS.ProcessEnv = process.env): z.infer<T> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  return parsed.data;
}

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

/** Settings every process shares; each service extends this with its own. */
export const baseConfigSchema = z.object({
  NODE_ENV: z.string().default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  JWT_SECRET: z.string().min(16).default('dev-only-secret-change-me-in-production'),
  REDIS_URL: z.string().default('redis://127.0.0.1:6379'),
  /** Prefix for every Redis key and channel: lets test runs share one Redis without colliding. */
  REDIS_KEY_PREFIX: z.string().default(''),
  HOST: z.string().default('127.0.0.1'),
  /** Comma-separated bootstrap brokers. */
  KAFKA_BROKERS: z
    .string()
    .default('127.0.0.1:9092')
    .transform((value) => value.split(',').map((broker) => broker.trim()).filter(Boolean)),
  /** Prefix for every topic and consumer group: lets test runs share one Kafka without colliding. */
  KAFKA_TOPIC_PREFIX: z.string().default(''),
});

/** Default ports; each process reads its own variable (GATEWAY_PORT, USER_PORT, ...). */
export const ports = {
  gateway: port(4000),
  user: port(4001),
  concert: port(4002),
  queue: port(4003),
  booking: port(4004),
  payment: port(4005),
};

export type BaseConfig = z.infer<typeof baseConfigSchema>;
