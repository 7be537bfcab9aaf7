import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import {
  createLogger,
  createMetrics,
  REQUEST_ID_HEADER,
  startHttpService,
  stopOnSignals,
  viewerFromAuthorization,
  type RunningService,
  type Viewer,
} from '@ticketing/platform';
import { loadGatewayConfig, type GatewayConfig } from './config';
import { mountPlayground } from './playground/playground';
import { queryLimitsRule } from './query-limits';
import { composeSupergraph, subgraphUrls } from './supergraph';

export interface GatewayContext {
  requestId: string;
  authorization?: string;
  viewer: Viewer | null;
}

/**
 * Forwards the caller's bearer token (subgraphs verify it again, so a request sent straight to
 * a subgraph's port gains nothing) and the correlation id, so one request is one trail of logs.
 */
class IdentityForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>) {
    if (context.authorization) request.http?.headers.set('authorization', context.authorization);
    if (context.requestId) request.http?.headers.set(REQUEST_ID_HEADER, context.requestId);
  }
}

export async function startGateway(config: GatewayConfig): Promise<RunningService> {
  const logger = createLogger('gateway', config.LOG_LEVEL);
  const metrics = createMetrics('gateway');
  const gateway = new ApolloGateway({
    supergraphSdl: composeSupergraph(subgraphUrls(config)),
    buildService: ({ url }) => new IdentityForwardingDataSource({ url }),
  });
  return startHttpService<GatewayContext>({
    name: 'gateway',
    host: config.HOST,
    port: config.GATEWAY_PORT,
    logger,
    metrics,
    apollo: { gateway, validationRules: [queryLimitsRule(config.MAX_QUERY_DEPTH, config.MAX_QUERY_ALIASES)] },
    context: async (req, requestId) => {
      const authorization = req.headers.authorization;
      // Verified here so a bad token is refused before any subgraph is called.
      const viewer = viewerFromAuthorization(authorization, config.JWT_SECRET);
      return { requestId, viewer, ...(authorization ? { authorization } : {}) };
    },
    // Ready once the supergraph is composed: a subgraph outage degrades its fields, not the gateway.
    readiness: [],
    operationLogLevel: 'info',
    configure: (app) => mountPlayground(app),
  });
}

if (require.main === module) {
  const config = loadGatewayConfig();
  const logger = createLogger('gateway', config.LOG_LEVEL);
  startGateway(config).then(
    (service) => {
      logger.info({ endpoint: `${service.url}/graphql`, playground: `${service.url}/playground` }, 'gateway ready');
      stopOnSignals(service.stop, logger);
    },
    (error: unknown) => {
      logger.fatal({ err: error }, 'failed to start');
      process.exit(1);
    },
  );
}
