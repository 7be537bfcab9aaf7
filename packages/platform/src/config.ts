import { z } from 'zod';
import { envVar, SERVICES, type Service, type ServiceName } from '@ticketing/contracts';

/**
 * Secrets every deployment sets itself. These known values exist only so that development and
 * test runs need no set-up; a production process refuses to start with them (or without a
 * secret), because anyone who read this file could mint an ADMIN token with them.
 * `npm start` generates strong random ones into .local/secrets.env (scripts/secrets.ts).
 */
export const DEVELOPMENT_SECRETS = {
  JWT_SECRET: 'dev-only-secret-change-me-in-production',
  QUEUE_TOKEN_SECRET: 'dev-only-queue-token-secret-change-me',
  ADMISSION_PASS_SECRET: 'dev-only-admission-pass-secret-change-me',
  DATA_ENCRYPTION_KEY: 'dev-only-data-key-change-me',
} as const;
export type SecretName = keyof typeof DEVELOPMENT_SECRETS;
/** 32 characters: 128 bits of entropy at the very least for a hex secret; generated ones have 256. */
export const PRODUCTION_SECRET_MIN_LENGTH = 32;

/** A secret setting; loadConfig adds the production rules (long, not a known development value). */
export const secretSetting = (name: SecretName) =>
  z.string({ error: `${name} must be set (npm start generates one into .local/secrets.env)` }).min(16);

/**
 * Parses process.env (or any record) through a zod schema once at start-up, so a bad
 * deployment fails loudly before serving traffic instead of at the first request.
 */
export function loadConfig<T extends z.ZodType>(schema: T, env: NodeJS.ProcessEnv = process.env): z.infer<T> {
  const mode = runModeSchema.safeParse(env['NODE_ENV']);
  const problems: string[] = [];
  let effective = env;
  if (mode.success && mode.data !== 'production') {
    // Development and test runs fall back to the known values for what they did not set.
    effective = { ...env };
    for (const [name, value] of Object.entries(DEVELOPMENT_SECRETS)) effective[name] ??= value;
  } else {
    for (const [name, known] of Object.entries(DEVELOPMENT_SECRETS)) {
      const value = env[name];
      if (value === undefined) continue; // the schema says whether this process needs it
      if (value === known) problems.push(`${name}: the development value is refused in production`);
      else if (value.length < PRODUCTION_SECRET_MIN_LENGTH) problems.push(`${name}: at least ${PRODUCTION_SECRET_MIN_LENGTH} characters in production`);
    }
  }
  const parsed = schema.safeParse(effective);
  if (!parsed.success) problems.push(...parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  if (!parsed.success || problems.length > 0) throw new Error(`Invalid configuration: ${problems.join('; ')}`);
  return parsed.data;
}

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

/**
 * Production unless a deployment says otherwise: a process nobody configured must not run with
 * known secrets, introspection or field suggestions. `development` and `test` are opt-in.
 */
export const runModeSchema = z.enum(['production', 'development', 'test']).default('production');
export type RunMode = z.infer<typeof runModeSchema>;
export const isProduction = (config: { NODE_ENV: RunMode }) => config.NODE_ENV === 'production';

/** Settings every process shares; each service extends this with its own. */
export const baseConfigSchema = z.object({
  NODE_ENV: runModeSchema,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  JWT_SECRET: secretSetting('JWT_SECRET'),
  /** Lifetime of an access token; verifiers refuse tokens without `exp` or living longer than this. */
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(7 * 24 * 60 * 60).default(12 * 60 * 60),
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
  /** Query limits of every GraphQL server (gateway, its WebSocket, each subgraph): see query-limits.ts and ADR 0006. */
  MAX_QUERY_DEPTH: z.coerce.number().int().positive().default(12),
  MAX_QUERY_ALIASES: z.coerce.number().int().positive().default(30),
  MAX_QUERY_DIRECTIVES: z.coerce.number().int().positive().default(50),
  MAX_QUERY_TOKENS: z.coerce.number().int().positive().default(5000),
  MAX_QUERY_SELECTIONS: z.coerce.number().int().positive().default(10_000),
  MAX_QUERY_COST: z.coerce.number().int().positive().default(100_000),
  MAX_SEATS_PER_SCHEDULE: z.coerce.number().int().positive().default(5000),
  QUERY_DEFAULT_LIST_SIZE: z.coerce.number().int().positive().default(20),
  /**
   * Distinct statement texts each PostgreSQL pool prepares per connection (pg-prepared-statements.ts);
   * 0 turns preparing off, as a connection pooler in transaction mode would need.
   */
  PG_PREPARED_STATEMENTS: z.coerce.number().int().min(0).max(10_000).default(200),
});

const portsBy = (defaultOf: (service: Service) => number) =>
  Object.fromEntries(SERVICES.map((service) => [service.name, port(defaultOf(service))])) as Record<ServiceName, ReturnType<typeof port>>;

/** Default ports (the service registry's); each process reads its own variable (GATEWAY_PORT, USER_PORT, ...). */
export const ports = portsBy((service) => service.port);

/**
 * Default internal ports for Prometheus's `/metrics`, one per process, read from
 * `<NAME>_METRICS_PORT` (GATEWAY_METRICS_PORT, USER_METRICS_PORT, ...): metrics describe the
 * internals, so they are never served on the public port. 0 lets the OS pick one.
 */
export const metricsPorts = portsBy((service) => service.metricsPort);

/** The internal metrics port of the named process (a process without a default needs its variable, or gets 0). */
export function loadMetricsPort(service: string, env: NodeJS.ProcessEnv = process.env): number {
  const variable = envVar(service, 'METRICS_PORT');
  const setting = metricsPorts[service as ServiceName] ?? port(0);
  const parsed = setting.safeParse(env[variable]);
  if (!parsed.success) throw new Error(`Invalid configuration: ${variable}: ${parsed.error.issues[0]?.message ?? 'not a port'}`);
  return parsed.data;
}

export type BaseConfig = z.infer<typeof baseConfigSchema>;
