import type { IncomingMessage } from 'node:http';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import {
  accessTokenSettings,
  apolloQueryLimits,
  createAccountLocks,
  createLogger,
  ErrorCode,
  createMetrics,
  createServiceFetch,
  createRedis,
  isProduction,
  logCrashes,
  queryLimitsFromConfig,
  REQUEST_ID_HEADER,
  ServiceUnavailable,
  startHttpService,
  startTracing,
  stopOnSignals,
  viewerFromAuthorization,
  type RunningService,
  type Viewer,
} from '@ticketing/platform';
import { createAccountCheck } from './auth/account-check';
import { loadGatewayConfig, type GatewayConfig } from './config';
import { mountPlayground } from './playground/playground';
import { createGatewayLimits } from './rate-limits';
import { clientIpOf, compileTrustProxy } from './rate-limits-client-ip';
import { rateLimitsPlugin } from './rate-limits.plugin';
import { mountScheduleBookingsCsv } from './exports/schedule-bookings-csv.route';
import { executeThroughGateway } from './realtime/execute-through-gateway';
import { bookingUpdatedSource } from './realtime/fields/booking-updated.source';
import { queueTicketUpdatedSource } from './realtime/fields/queue-ticket-updated.source';
import { salesUpdatedSource } from './realtime/fields/sales-updated.source';
import { seatsUpdatedSource } from './realtime/fields/seats-updated.source';
import { createRedisFanout } from './realtime/redis-fanout';
import { attachSubscriptionServer } from './realtime/subscription-server';
import { composeSupergraph, subgraphUrls, type ExtraSubgraph } from './supergraph';
import { mountWebClient } from './web-client';

export interface GatewayContext {
  requestId: string;
  authorization?: string;
  viewer: Viewer | null;
  /**
   * The client's address (TRUST_PROXY decides whether X-Forwarded-For counts), for per-address
   * limits; absent on the gateway's own reads for subscriptions, whose subscribe already paid.
   */
  clientIp?: string;
}

/**
 * Forwards the caller's bearer token (subgraphs verify it again, so a request sent straight to
 * a subgraph's port gains nothing) and the correlation id, so one request is one trail of logs.
 * Set here, not only by the platform's fetch hook: a subscription's reads run outside any HTTP
 * request's context. The trace context (`traceparent`) is added by the fetch instrumentation.
 */
class IdentityForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>) {
    if (context.authorization) request.http?.headers.set('authorization', context.authorization);
    if (context.requestId) request.http?.headers.set(REQUEST_ID_HEADER, context.requestId);
  }

  /**
   * A subgraph that cannot be reached (its process restarting: refused, or reset mid-request) is a
   * brief outage the fan can wait out, answered SERVICE_UNAVAILABLE with a retry hint like a 503
   * below. A retried mutation is safe: each has its fence (idempotency keys, one live booking per
   * ticket), so one that did land is answered as such the second time.
   */
  override async process(options: Parameters<RemoteGraphQLDataSource<GatewayContext>['process']>[0]) {
    try {
      return await super.process(options);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'EPIPE') {
        throw new ServiceUnavailable('This part of the service is briefly unavailable; try again in a moment', 1);
      }
      throw error;
    }
  }

  /**
   * A subgraph that answers 503 (no copy ready behind the balancer, or one draining) is a brief
   * outage the fan can wait out: SERVICE_UNAVAILABLE with a retry hint, not an internal error.
   */
  override async errorFromResponse(response: Parameters<RemoteGraphQLDataSource['errorFromResponse']>[0]) {
    const error = await super.errorFromResponse(response);
    if (response.status !== 503) return error;
    return new GraphQLError('This part of the service is briefly unavailable; try again in a moment', {
      extensions: { ...error.extensions, code: ErrorCode.SERVICE_UNAVAILABLE, retryAfterSeconds: 1 },
    });
  }
}

export async function startGateway(config: GatewayConfig, options: { extraSubgraphs?: ExtraSubgraph[] } = {}): Promise<RunningService> {
  const logger = createLogger('gateway', config.LOG_LEVEL);
  const metrics = createMetrics('gateway');
  const accessTokens = accessTokenSettings(config);
  // Locked accounts are refused from memory, and a lock or role change drops the cached check.
  const locks = accessTokens.accountStanding ? createAccountLocks({ ...accessTokens.accountStanding, logger }) : undefined;
  const accounts = createAccountCheck({
    ...(locks && { locks }),
    userUrl: config.USER_URL,
    ttlMs: config.ACCOUNT_CHECK_TTL_SECONDS * 1000,
    maxEntries: config.ACCOUNT_CHECK_CACHE_SIZE,
    logger,
  });
  const subgraphFetcher = createServiceFetch();
  const gateway = new ApolloGateway({
    supergraphSdl: composeSupergraph(subgraphUrls(config), options.extraSubgraphs),
    // A lean http.request fetcher on keep-alive agents (platform's service-fetch.ts) instead of the default
    // make-fetch-happen (its retry and HTTP-cache layers took about a quarter of the gateway's CPU
    // per request) or Node's fetch (undici: measured by bench:requests, see BENCHMARKS.md).
    buildService: ({ url }) => new IdentityForwardingDataSource({ url, fetcher: subgraphFetcher.fetch as never }),
  });
  const fanout = createRedisFanout(createRedis(config.REDIS_URL), logger);
  const limitsRedis = createRedis(config.REDIS_URL, config.REDIS_KEY_PREFIX);
  const limits = createGatewayLimits(limitsRedis, config);
  const queryLimitSettings = queryLimitsFromConfig(config);
  // The admin playground keeps its schema docs in production; nobody else gets introspection there.
  const queryLimits = apolloQueryLimits<GatewayContext>(queryLimitSettings, { production: isProduction(config) }, (context) => context.viewer?.role === 'ADMIN');
  let realtime: ReturnType<typeof attachSubscriptionServer> | undefined;
  // The gateway loads its schema inside Apollo's start, before the WebSocket server exists.
  let apiSchema: GraphQLSchema | undefined;
  gateway.onSchemaLoadOrUpdate((loaded) => {
    apiSchema = loaded.apiSchema;
    realtime?.useApiSchema(loaded.apiSchema);
  });
  // The client's address by TRUST_PROXY, the same walk for HTTP (served without Express) and WebSockets.
  const trustProxy = compileTrustProxy(config.TRUST_PROXY);
  const contextFor = async (req: IncomingMessage, requestId: string): Promise<GatewayContext> => {
    const authorization = req.headers.authorization;
    // Verified here so a bad token is refused before any subgraph is called.
    const viewer = viewerFromAuthorization(authorization, accessTokens);
    if (viewer && authorization) await accounts.refuseUnlessCurrent(viewer, authorization);
    return { requestId, viewer, clientIp: clientIpOf(req, trustProxy), ...(authorization ? { authorization } : {}) };
  };
  return startHttpService<GatewayContext>({
    name: 'gateway',
    host: config.HOST,
    port: config.GATEWAY_PORT,
    logger,
    metrics,
    apollo: {
      gateway,
      ...queryLimits,
      plugins: [rateLimitsPlugin<GatewayContext>(limits), ...queryLimits.plugins],
    },
    context: contextFor,
    // Not the subgraphs: an outage of one degrades its fields, not the whole gateway.
    readiness: [{ name: 'redis', check: () => fanout.ping() }],
    operationLogLevel: 'info',
    configure: (app, server, apollo) => {
      mountPlayground(app);
      mountScheduleBookingsCsv(app, { contextFor, execute: executeThroughGateway(apollo), logger });
      mountWebClient(app);
      const realtimeDeps = { fanout, execute: executeThroughGateway(apollo), redisPrefix: config.REDIS_KEY_PREFIX, logger };
      realtime = attachSubscriptionServer({
        server,
        path: '/graphql',
        accessTokens,
        accountIsCurrent: accounts.isCurrent,
        ...(locks && { accountLocks: locks }),
        logger,
        metrics,
        queryLimits: queryLimitSettings,
        production: isProduction(config),
        sources: [
          queueTicketUpdatedSource(realtimeDeps),
          bookingUpdatedSource(realtimeDeps),
          seatsUpdatedSource(realtimeDeps),
          salesUpdatedSource(realtimeDeps),
        ],
        limits,
        clientIp: (request) => clientIpOf(request, trustProxy),
      });
      if (apiSchema) realtime.useApiSchema(apiSchema);
    },
    // WebSockets close before HTTP drains (an open socket would hold the drain; clients reconnect
    // elsewhere); the Redis subscriber goes last.
    beforeStop: [async () => realtime?.close()],
    onStop: [
      () => fanout.close(),
      async () => locks?.close(),
      async () => subgraphFetcher.close(),
      async () => {
        limits.sockets.close();
        await limitsRedis.quit();
      },
    ],
  });
}

if (require.main === module) {
  const config = loadGatewayConfig();
  const logger = createLogger('gateway', config.LOG_LEVEL);
  logCrashes(logger);
  startTracing('gateway')
    .then(() => startGateway(config))
    .then(
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
