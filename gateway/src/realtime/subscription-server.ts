import type http from 'node:http';
import { randomUUID } from 'node:crypto';
import {
  buildASTSchema,
  GraphQLError,
  Kind,
  parse,
  printSchema,
  type DocumentNode,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { CloseCode, type Context } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocket, WebSocketServer } from 'ws';
import {
  clientError,
  createOperationChecker,
  ErrorCode,
  prometheus,
  requestIdFrom,
  viewerFromAuthorization,
  type AccessTokenSettings,
  type AccountLocks,
  type Logger,
  type Metrics,
  type QueryLimitSettings,
  type Viewer,
} from '@ticketing/platform';
import type { AccountCheck } from '../auth/account-check';
import type { Caller, GatewayLimits } from '../rate-limits';
import { responseKeyAwareFieldResolver } from './response-shaped';

export interface RealtimeContext {
  requestId: string;
  viewer: Viewer | null;
  authorization?: string;
}

/** How one Subscription field of the supergraph is served: a stream of that field's values. */
export interface SubscriptionSource {
  field: string;
  subscribe(args: Record<string, unknown>, context: RealtimeContext, info: GraphQLResolveInfo): Promise<AsyncIterable<unknown>>;
}

export interface SubscriptionServerOptions {
  server: http.Server;
  path: string;
  sources: SubscriptionSource[];
  accessTokens: AccessTokenSettings;
  /** Whether a verified token's account still stands as the token says (see auth/account-check). */
  accountIsCurrent: AccountCheck;
  /**
   * The announced account standings: a lock closes the account's open sockets at once, since a
   * socket checked its token only when it connected. Absent without Redis (then a lock reaches
   * sockets only when they reconnect).
   */
  accountLocks?: Pick<AccountLocks, 'isLocked' | 'onChange'>;
  logger: Logger;
  metrics: Metrics;
  /** The same query limits as HTTP (packages/platform/src/query-limits.ts). */
  queryLimits: QueryLimitSettings;
  production: boolean;
  /** Sockets per user and address, the per-socket subscription cap, and each subscribe's token. */
  limits: Pick<GatewayLimits, 'admitOperation' | 'sockets' | 'maxSubscriptionsPerSocket'>;
  /** The client's address of an upgrade request, by the same TRUST_PROXY rule as HTTP. */
  clientIp: (request: http.IncomingMessage) => string;
}

/** graphql-ws's own code for "too many", with our reason: the client should back off, not reconnect at once. */
const TOO_MANY_SOCKETS = CloseCode.TooManyInitialisationRequests;
/** 4403, as for a token refused at connection: the client must not reconnect with the same token. */
const ACCOUNT_LOCKED_CLOSE = CloseCode.Forbidden;

const rateLimited = (message: string, retryAfterSeconds: number) => [clientError(ErrorCode.RATE_LIMITED, message, { retryAfterSeconds })];

/**
 * `@apollo/gateway` cannot execute subscriptions, so the gateway serves them itself: graphql-ws on
 * the same `/graphql` path, executed with graphql-js against the supergraph's API schema, each
 * Subscription field backed by a registered source (fed by Redis pub/sub). Sources that need fields
 * owned by other subgraphs fetch them back through the gateway's own executor.
 */
export function attachSubscriptionServer(options: SubscriptionServerOptions) {
  const { logger } = options;
  const limit = options.limits.maxSubscriptionsPerSocket;
  let schema: GraphQLSchema | undefined;
  const active = new prometheus.Gauge({
    name: 'graphql_subscriptions_active',
    help: 'Open GraphQL subscriptions on this gateway',
    labelNames: ['field'] as const,
    registers: [options.metrics.registry],
  });

  /** Read on scrape from the server's own client list: right whatever path a socket closed by. */
  new prometheus.Gauge({
    name: 'graphql_ws_connections',
    help: 'Open WebSocket connections on this gateway (graphql-ws, acknowledged or not yet)',
    registers: [options.metrics.registry],
    collect() {
      this.set(wsServer.clients.size);
    },
  });

  /**
   * Each signed-in account's open sockets, so a lock can close them. A socket joins once its
   * token is accepted and leaves when it closes, however it closes.
   */
  const socketsOfAccount = new Map<string, Set<WebSocket>>();
  // Parse and document checks remembered per query text: every fan's app sends the same few subscriptions.
  const checkOperation = createOperationChecker(options.queryLimits, { production: options.production });
  const closeForLock = (socket: WebSocket) => socket.close(ACCOUNT_LOCKED_CLOSE, 'This account is locked');
  const follow = (userId: string, socket: WebSocket) => {
    let open = socketsOfAccount.get(userId);
    if (!open) socketsOfAccount.set(userId, (open = new Set()));
    open.add(socket);
    socket.once('close', () => {
      open.delete(socket);
      if (open.size === 0 && socketsOfAccount.get(userId) === open) socketsOfAccount.delete(userId);
    });
  };
  options.accountLocks?.onChange((standing) => {
    if (!standing.locked) return;
    const open = socketsOfAccount.get(standing.userId);
    if (!open || open.size === 0) return;
    logger.info({ userId: standing.userId, sockets: open.size }, 'account locked: its WebSockets closed');
    for (const socket of open) closeForLock(socket);
  });

  /** Called with every API schema the gateway loads; every declared subscription must have a source. */
  function useApiSchema(apiSchema: GraphQLSchema): void {
    const executable = buildASTSchema(parse(printSchema(apiSchema)));
    const fields = executable.getSubscriptionType()?.getFields() ?? {};
    const sources = new Map(options.sources.map((source) => [source.field, source]));
    const unserved = Object.keys(fields).filter((name) => !sources.has(name));
    if (unserved.length > 0) throw new Error(`No realtime source for Subscription fields: ${unserved.join(', ')}`);
    for (const [name, field] of Object.entries(fields)) {
      const source = sources.get(name)!;
      field.subscribe = (_root, args: Record<string, unknown>, context: RealtimeContext, info) =>
        source.subscribe(args, context, info);
      field.resolve = (payload: unknown) => payload;
    }
    schema = executable;
  }

  const wsServer = new WebSocketServer({ server: options.server, path: options.path, maxPayload: 64 * 1024 });
  /**
   * Operations per connection (id → root field once running, null while starting), for the cap
   * and the gauge. A slot is taken when the frame arrives, before any await, so a burst of frames
   * cannot all pass the check; ids graphql-ws no longer holds (ended, or completed by the client
   * mid-start) give their slot back.
   */
  const operations = new WeakMap<object, Map<string, string | null>>();
  const operationsOf = (ctx: object) => {
    let map = operations.get(ctx);
    if (!map) operations.set(ctx, (map = new Map()));
    return map;
  };
  const release = (ctx: object, id: string) => {
    const field = operationsOf(ctx).get(id);
    operationsOf(ctx).delete(id);
    if (field) active.dec({ field });
  };
  const reserve = (ctx: Context, id: string): boolean => {
    for (const held of operationsOf(ctx).keys()) if (!(held in ctx.subscriptions)) release(ctx, held);
    if (operationsOf(ctx).size >= limit) return false;
    operationsOf(ctx).set(id, null);
    return true;
  };
  const callerOf = (ctx: Context<Record<string, unknown> | undefined, { request: http.IncomingMessage; viewer?: Viewer | null }>): Caller => ({
    viewer: ctx.extra.viewer ?? null,
    ip: options.clientIp(ctx.extra.request),
  });
  /** Sockets per user and per address, counted across gateways; a Redis failure lets the socket in (operations stay limited). */
  const sockets = new WeakMap<object, () => Promise<void>>();
  const takeSocketSlot = async (ctx: Parameters<typeof callerOf>[0] & { extra: { socket: WebSocket } }): Promise<boolean> => {
    const caller = callerOf(ctx);
    try {
      const slot = await options.limits.sockets.take({ userId: caller.viewer?.userId, ip: caller.ip });
      if (!slot.ok) {
        ctx.extra.socket.close(TOO_MANY_SOCKETS, slot.scope === 'user' ? 'Too many open connections for this account' : 'Too many open connections from this address');
        return false;
      }
      if (ctx.extra.socket.readyState === WebSocket.OPEN) sockets.set(ctx, slot.release);
      else await slot.release();
    } catch (error) {
      logger.warn({ err: error }, 'socket limits unavailable; connection admitted');
    }
    return true;
  };

  const disposable = useServer<Record<string, unknown> | undefined, { viewer: Viewer | null; authorization?: string; requestId: string }>(
    {
      onConnect: async (ctx) => {
        const raw = ctx.connectionParams?.['authorization'] ?? ctx.connectionParams?.['Authorization'];
        const header = typeof raw === 'string' && raw.length > 0 ? (/^bearer\s/i.test(raw) ? raw : `Bearer ${raw}`) : undefined;
        try {
          const viewer = viewerFromAuthorization(header, options.accessTokens);
          if (viewer && header && !(await options.accountIsCurrent(viewer, header))) return false;
          if (viewer) {
            follow(viewer.userId, ctx.extra.socket);
            // Followed from here on; a lock announced while the account check was in flight found no socket to close.
            if (options.accountLocks?.isLocked(viewer.userId)) return false;
          }
          Object.assign(ctx.extra, { viewer, requestId: requestIdFrom(ctx.extra.request.headers['x-request-id']), ...(header ? { authorization: header } : {}) });
          return await takeSocketSlot(ctx);
        } catch {
          return false; // graphql-ws closes with 4403 Forbidden: the token did not verify
        }
      },
      onSubscribe: async (ctx, id, payload) => {
        if (!reserve(ctx, id)) return rateLimited(`At most ${limit} subscriptions per connection; complete one first`, 1);
        const admission = await options.limits.admitOperation(callerOf(ctx));
        if (!admission.allowed) {
          release(ctx, id);
          return rateLimited('Too many requests; slow down', admission.retryAfterSeconds);
        }
        if (!schema) return [new GraphQLError('Schema not loaded yet', { extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } })];
        const { document, errors } = checkOperation(schema, payload);
        if (!document || errors.length > 0) return errors;
        const operation = document.definitions.find(
          (d): d is OperationDefinitionNode =>
            d.kind === Kind.OPERATION_DEFINITION && (!payload.operationName || d.name?.value === payload.operationName),
        );
        if (operation?.operation !== 'subscription') {
          return [new GraphQLError('Send queries and mutations over HTTP POST; WebSocket carries subscriptions', { extensions: { code: 'BAD_REQUEST' } })];
        }
        const extra = ctx.extra as unknown as RealtimeContext;
        const context: RealtimeContext = {
          requestId: `${extra.requestId}:${randomUUID().slice(0, 8)}`,
          viewer: extra.viewer,
          ...(extra.authorization ? { authorization: extra.authorization } : {}),
        };
        return {
          schema,
          document,
          variableValues: payload.variables ?? {},
          operationName: payload.operationName ?? null,
          contextValue: context,
          fieldResolver: responseKeyAwareFieldResolver,
        };
      },
      onOperation: (ctx, id, _payload, args) => {
        const field = rootFieldOf(args.document);
        operationsOf(ctx).set(id, field);
        active.inc({ field });
      },
      onComplete: (ctx, id) => release(ctx, id),
      onClose: async (ctx) => {
        await sockets.get(ctx)?.();
        sockets.delete(ctx);
      },
      onNext: (_ctx, _id, _payload, _args, result) => maskUnexpectedErrors(result, logger),
      onError: (ctx, id, _payload, errors) => {
        release(ctx, id);
        logger.debug({ errors: errors.map((e) => e.message) }, 'subscription refused');
        return errors;
      },
    },
    wsServer,
  );

  return {
    useApiSchema,
    async close() {
      await disposable.dispose();
      await new Promise<void>((resolve) => wsServer.close(() => resolve()));
    },
  };
}

function rootFieldOf(document: DocumentNode | undefined): string {
  const operation = document?.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const first = operation?.selectionSet.selections[0];
  return first?.kind === Kind.FIELD ? first.name.value : 'unknown';
}

/** Same rule as HTTP: coded errors pass, anything else is logged and answered without details. */
function maskUnexpectedErrors<T extends { errors?: readonly GraphQLError[] | readonly unknown[] }>(result: T, logger: Logger): T {
  if (!result.errors?.length) return result;
  const errors = result.errors.map((error) => {
    const graphqlError = error as GraphQLError;
    if (typeof graphqlError.extensions?.['code'] === 'string') return graphqlError;
    logger.error({ err: error }, 'unexpected error in a subscription');
    return new GraphQLError('Internal server error', { extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } });
  });
  return { ...result, errors };
}
