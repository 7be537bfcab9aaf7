import { z } from 'zod';
import { localGraphqlUrl, SUBGRAPHS, type Service, type SubgraphName } from '@ticketing/contracts';
import { baseConfigSchema, loadConfig, ports } from '@ticketing/platform';
import { rateLimitSettings } from './rate-limits';

const subgraphUrl = (service: Service) => z.string().url().default(localGraphqlUrl(service.port));

/** USER_URL, CONCERT_URL, ...: one per subgraph in the registry, defaulting to its port on this host. */
const subgraphUrlSettings = Object.fromEntries(SUBGRAPHS.map((service) => [service.urlVar, subgraphUrl(service)])) as {
  [N in SubgraphName as Service<N>['urlVar']]: ReturnType<typeof subgraphUrl>;
};

export const gatewayConfigSchema = baseConfigSchema.extend({
  GATEWAY_PORT: ports.gateway,
  ...subgraphUrlSettings,
  /** How long the gateway trusts its last answer to "does this token's account still stand as it says?". */
  ACCOUNT_CHECK_TTL_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  /** Accounts whose answer the gateway keeps (least recently used go first). */
  ACCOUNT_CHECK_CACHE_SIZE: z.coerce.number().int().min(100).default(100_000),
  ...rateLimitSettings,
});

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;
export const loadGatewayConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig(gatewayConfigSchema, env);
