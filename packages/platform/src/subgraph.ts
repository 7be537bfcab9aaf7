import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { parse } from 'graphql';
import { viewerFromAuthorization, type AccessTokenSettings, type Viewer } from './auth';
import { accountLockedError, createAccountLocks, type AccountLocks } from './auth-account-locks';
import { createLogger, logCrashes, type Logger } from './logger';
import type { Metrics } from './metrics';
import { apolloQueryLimits, type QueryLimitSettings } from './query-limits';
import {
  startHttpService,
  stopOnSignals,
  type HttpServiceOptions,
  type ReadinessCheck,
  type RunningService,
} from './service';
import { startTracing } from './tracing';

/** What every subgraph resolver knows about the request. */
export interface RequestIdentity {
  requestId: string;
  /** Verified again here: a subgraph never trusts identity it cannot check itself. */
  viewer: Viewer | null;
  /** The caller's Authorization header when it verified: forwarded when a service asks another on the caller's behalf. */
  authorization?: string;
}

export function identityFromRequest(
  req: IncomingMessage,
  requestId: string,
  accessTokens: AccessTokenSettings,
  locks?: Pick<AccountLocks, 'isLocked'>,
): RequestIdentity {
  const viewer = viewerFromAuthorization(req.headers.authorization, accessTokens);
  // Checked here too, not only at the gateway: a subgraph's port is reachable without it.
  if (viewer && locks?.isLocked(viewer.userId)) throw accountLockedError();
  return { requestId, viewer, ...(viewer && req.headers.authorization && { authorization: req.headers.authorization }) };
}

/** What a subgraph's own routes beside /graphql share with it (see `startSubgraph`'s `configure`). */
export interface SubgraphFence {
  /** Absent without Redis (no standings are announced then). */
  locks?: Pick<AccountLocks, 'isLocked'>;
}

/**
 * Codegen's typed `Resolvers` and @apollo/subgraph's `GraphQLResolverMap` describe the same
 * object with incompatible index signatures; this is the single, deliberate cast between them.
 */
export function asSubgraphResolvers(resolvers: object): GraphQLResolverMap<unknown> {
  return resolvers as GraphQLResolverMap<unknown>;
}

/**
 * Starts one subgraph: its schema.graphql with the given resolvers as a federation subgraph
 * (inline tracing off: nothing reads it, and it costs every request), the caller's identity
 * verified into every context, and the operational endpoints of startHttpService.
 */
export async function startSubgraph<TContext extends object>(options: {
  name: string;
  host: string;
  port: number;
  accessTokens: AccessTokenSettings;
  /** Directory holding schema.graphql (the subgraph package's root). */
  root: string;
  resolvers: object;
  logger: Logger;
  metrics: Metrics;
  context: (identity: RequestIdentity) => TContext | Promise<TContext>;
  readiness: ReadinessCheck[];
  onStop?: Array<() => Promise<unknown>>;
  /**
   * Extra routes beside /graphql. `fence.locks` is this subgraph's own set of locked accounts, for
   * a route that verifies tokens itself and must refuse a locked account as /graphql does.
   */
  configure?: (...args: [...Parameters<NonNullable<HttpServiceOptions<TContext & RequestIdentity>['configure']>>, fence: SubgraphFence]) => void;
  /** The same limits as the gateway: a subgraph's port is reachable without it. */
  queryLimits: QueryLimitSettings;
  /** Production: no field suggestions, no introspection (`_service { sdl }` still answers). */
  production: boolean;
}): Promise<RunningService> {
  const typeDefs = parse(readFileSync(path.join(options.root, 'schema.graphql'), 'utf8'));
  const limits = apolloQueryLimits(options.queryLimits, { production: options.production });
  const standing = options.accessTokens.accountStanding;
  const locks = standing ? createAccountLocks({ ...standing, logger: options.logger }) : undefined;
  // Bounded: Redis being down must not keep the subgraph from starting (the fence fills once it is back).
  if (locks) await Promise.race([locks.ready, new Promise((resolve) => setTimeout(resolve, 3_000).unref())]);
  return startHttpService<TContext & RequestIdentity>({
    name: options.name,
    host: options.host,
    port: options.port,
    logger: options.logger,
    metrics: options.metrics,
    apollo: {
      schema: buildSubgraphSchema({ typeDefs, resolvers: asSubgraphResolvers(options.resolvers) }),
      ...limits,
      plugins: [ApolloServerPluginInlineTraceDisabled(), ...limits.plugins],
    },
    context: async (req, requestId) => {
      const identity = identityFromRequest(req, requestId, options.accessTokens, locks);
      return { ...(await options.context(identity)), ...identity };
    },
    readiness: options.readiness,
    onStop: [...(options.onStop ?? []), async () => locks?.close()],
    ...(options.configure ? { configure: (app, server, apollo) => options.configure!(app, server, apollo, { ...(locks && { locks }) }) } : {}),
  });
}

/**
 * The entry point of a service process: crashes logged as JSON, tracing on when configured
 * (before the service builds its servers), start it, stop cleanly on SIGTERM, exit 1 if it
 * cannot start.
 */
export function runService<TConfig extends { LOG_LEVEL: string }>(
  name: string,
  loadConfig: () => TConfig,
  start: (config: TConfig) => Promise<RunningService>,
): void {
  const config = loadConfig();
  const logger = createLogger(name, config.LOG_LEVEL);
  logCrashes(logger);
  startTracing(name)
    .then(() => start(config))
    .then(
      (service) => stopOnSignals(service.stop, logger),
      (error: unknown) => {
        logger.fatal({ err: error }, 'failed to start');
        process.exit(1);
      },
    );
}
