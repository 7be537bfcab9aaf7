import { z } from 'zod';
import { baseConfigSchema, loadConfig, ports } from '@ticketing/platform';
import { rateLimitSettings } from './rate-limits';

const subgraphUrl = (port: number) => z.string().url().default(`http://127.0.0.1:${port}/graphql`);

export const gatewayConfigSchema = baseConfigSchema.extend({
  GATEWAY_PORT: ports.gateway,
  USER_URL: subgraphUrl(4001),
  CONCERT_URL: subgraphUrl(4002),
  QUEUE_URL: subgraphUrl(4003),
  BOOKING_URL: subgraphUrl(4004),
  PAYMENT_URL: subgraphUrl(4005),
  /** How long the gateway trusts its last answer to "does this token's account still stand as it says?". */
  ACCOUNT_CHECK_TTL_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  /** Accounts whose answer the gateway keeps (least recently used go first). */
  ACCOUNT_CHECK_CACHE_SIZE: z.coerce.number().int().min(100).default(100_000),
  ...rateLimitSettings,
});

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;
export const loadGatewayConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig(gatewayConfigSchema, env);
