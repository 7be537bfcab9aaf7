import { z } from 'zod';
import { baseConfigSchema, loadConfig, ports } from '@ticketing/platform';

const subgraphUrl = (port: number) => z.string().url().default(`http://127.0.0.1:${port}/graphql`);

export const gatewayConfigSchema = baseConfigSchema.extend({
  GATEWAY_PORT: ports.gateway,
  USER_URL: subgraphUrl(4001),
  CONCERT_URL: subgraphUrl(4002),
  QUEUE_URL: subgraphUrl(4003),
  BOOKING_URL: subgraphUrl(4004),
  PAYMENT_URL: subgraphUrl(4005),
  /** Deepest selection the gateway will plan; deeper documents are refused before any work. */
  MAX_QUERY_DEPTH: z.coerce.number().int().positive().default(12),
  MAX_QUERY_ALIASES: z.coerce.number().int().positive().default(30),
});

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;
export const loadGatewayConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig(gatewayConfigSchema, env);
