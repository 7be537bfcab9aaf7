import type http from 'node:http';
import { randomUUID } from 'node:crypto';
import {
  buildASTSchema,
  GraphQLError,
  Kind,
  parse,
  printSchema,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import {
  ErrorCode,
  prometheus,
  requestIdFrom,
  viewerFromAuthorization,
  type Logger,
  type Metrics,
  type Viewer,
} from '@ticketing/platform';
import { queryLimitsRule } from '../query-limits';
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
  jwtSecret: string;
  logger: Logger;
  metrics: Metrics;
  maxDepth: number;
  maxAliases: number;
  /** Most concurrent subscriptions one connection may hold (a fan needs two or three). */
  maxSubscriptionsPerConnection?: number;
}

/**
 * `@apollo/gateway` cannot execute subscriptions, so the gateway serves them itself: graphql-ws on
 * the same `/graphql` path, executed with graphql-js against the supergraph's API schema, each
 * Subscription field backed by a registered source (fed by Redis pub/sub). Sources that need fields
 * owned by other subgraphs fetch them back through the gateway's own executor.
 */
export function attachSubscriptionServer(options: SubscriptionServerOptions) {
  const { logger } = options;
  const limit = options.maxSubscriptionsPerConnection ?? 20;
  let schema: GraphQLSchema | undefined;
  const active = new prometheus.Gauge({
    name: 'graphql_subscriptions_active',
    help: 'Open GraphQL subscriptions on this gateway',
    labelNames: ['field'] as const,
    registers: [options.metrics.registry],
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
  /** Open operations per connection (id → root field), for the per-connection limit and the gauge. */
  const operations = new WeakMap<object, Map<string, string>>();
  const operationsOf = (ctx: object) => {
    let map = operations.get(ctx);
    if (!map) operations.set(ctx, (map = new Map()));
    return map;
  };

  const disposable = useServer<Record<string, unknown> | undefined, { viewer: Viewer | null; authorization?: string; requestId: string }>(
    {
      onConnect: (ctx) => {
        const raw = ctx.connectionParams?.['authorization'] ?? ctx.connectionParams?.['Authorization'];
        const header = typeof raw === 'string' && raw.length > 0 ? (/^bearer\s/i.test(raw) ? raw : `Bearer ${raw}`) : undefined;
        try {
          const viewer = viewerFromAuthorization(header, options.jwtSecret);
          Object.assign(ctx.extra, { viewer, requestId: requestIdFrom(ctx.extra.request.headers['x-request-id']), ...(header ? { authorization: header } : {}) });
          return true;
        } catch {
          return false; // graphql-ws closes with 4403 Forbidden: the token did not verify
        }
      },
      onSubscribe: (ctx, _id, payload) => {
        if (!schema) return [new GraphQLError('Schema not loaded yet', { extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } })];
        if (operationsOf(ctx).size >= limit) {
          return [new GraphQLError(`At most ${limit} subscriptions per connection`, { extensions: { code: ErrorCode.RATE_LIMITED } })];
        }
        let document: DocumentNode;
        try {
          document = parse(payload.query);
        } catch (error) {
          return [new GraphQLError((error as Error).message, { extensions: { code: 'GRAPHQL_PARSE_FAILED' } })];
        }
        const errors = validate(schema, document, [...specifiedRules, queryLimitsRule(options.maxDepth, options.maxAliases)]);
        if (errors.length > 0) return errors.map((e) => new GraphQLError(e.message, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }));
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
      onComplete: (ctx, id) => {
        const field = operationsOf(ctx).get(id);
        if (field === undefined) return;
        operationsOf(ctx).delete(id);
        active.dec({ field });
      },
      onNext: (_ctx, _id, _payload, _args, result) => maskUnexpectedErrors(result, logger),
      onError: (_ctx, _id, _payload, errors) => {
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
