import http, { type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { ApolloServer, type ApolloServerOptions, type BaseContext } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { refuseControlCharacters } from './control-characters';
import { loadMetricsPort } from './config';
import { createErrorFormatter, isRequestErrorCode, publicErrorCode, RequestErrorCode } from './errors';
import { graphqlEndpoint, isGraphqlPost } from './graphql-endpoint';
import { answerErrors, answerNotFound } from './http-errors';
import { observeHttpRequests } from './http-metrics';
import type { Logger } from './logger';
import type { Metrics } from './metrics';
import { operationGuardPlugin } from './operation-guard.plugin';
import { correlateRequest, forwardCorrelationIdOnFetch, runWithRequestContext } from './request-context';
import { stopTracing } from './tracing';

export interface ReadinessCheck {
  name: string;
  check: () => Promise<unknown>;
}

export interface HttpServiceOptions<TContext extends BaseContext> {
  name: string;
  host: string;
  port: number;
  /** Where `/metrics` is served, apart from the public port; default `<NAME>_METRICS_PORT` (config.ts). */
  metricsPort?: number;
  logger: Logger;
  metrics: Metrics;
  /** Apollo options without plugins/formatError, which every service gets the same way. */
  apollo: Omit<ApolloServerOptions<TContext>, 'plugins' | 'formatError'> & {
    plugins?: ApolloServerOptions<TContext>['plugins'];
  };
  /** `requestId` is the request's correlation id: the caller's `x-request-id`, or a fresh one. */
  context: (req: IncomingMessage, requestId: string) => Promise<TContext>;
  readiness: ReadinessCheck[];
  /** Run before HTTP drains: long-lived connections (WebSockets) that would hold the drain open. */
  beforeStop?: Array<() => Promise<unknown>>;
  /** Closed after HTTP has drained, in order (e.g. stop consumers, then close pools). */
  onStop?: Array<() => Promise<unknown>>;
  /** Extra routes or upgrade handlers (the gateway's playground and WebSocket); runs after Apollo started. */
  configure?: (app: express.Express, server: http.Server, apollo: ApolloServer<TContext>) => void;
  /** Limits JSON bodies; large enough for any real operation, small enough to refuse abuse. */
  bodyLimit?: string;
  /** Level of the one log line per GraphQL operation: `info` at the edge, `debug` inside. */
  operationLogLevel?: 'info' | 'debug';
}

export interface RunningService {
  url: string;
  port: number;
  /** The internal server's base URL: `${metricsUrl}/metrics`. */
  metricsUrl: string;
  stop: () => Promise<void>;
}

/**
 * Runtime settings every process shares. tsx turns on source-mapped stack traces, and libraries
 * build Errors on hot paths (agent-base reads `new Error().stack` per outgoing request): mapping
 * each one cost a third of the no-op throughput through the gateway (measured ~570 → ~760
 * mutations/s). SOURCE_MAPS=1 brings them back for debugging.
 */
export function configureRuntime(): void {
  if (process.env['SOURCE_MAPS'] !== '1') process.setSourceMapsEnabled(false);
}

/**
 * Starts one process's HTTP face: `/graphql`, `/health` (alive), `/ready` (dependencies answer),
 * a correlation id on every request and log line, JSON logs, a JSON error for every refused
 * request, `/metrics` (Prometheus) on a separate internal port, and a stop that drains in-flight
 * requests before closing the service's own resources.
 */
export async function startHttpService<TContext extends BaseContext>(
  options: HttpServiceOptions<TContext>,
): Promise<RunningService> {
  configureRuntime();
  const { logger, metrics } = options;
  const app = express();
  app.disable('x-powered-by');
  // Its request listener is added once Apollo has started (below).
  const server = http.createServer();
  // Keep-alive longer than typical load-balancer idle timeouts so connections are reused.
  server.keepAliveTimeout = 65_000;
  let accepting = true;

  const bodyLimit = options.bodyLimit ?? '100kb';
  const apollo = new ApolloServer<TContext>({
    // Apollo's own warnings as JSON lines too (its default logger prints plain text).
    logger,
    ...options.apollo,
    includeStacktraceInErrorResponses: false,
    formatError: createErrorFormatter(logger),
    plugins: [
      // Apollo installs its cache-control plugin unless told not to. Its per-field hook makes
      // Apollo wrap every resolver of the schema and run the hook on each field of every response
      // (24,000 times for one 4,000-seat map), for a Cache-Control header nothing here asks for: no
      // schema has @cacheControl, every answer is uncacheable and clients POST.
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginDrainHttpServer({ httpServer: server }),
      operationGuardPlugin<TContext>(),
      refuseControlCharacters(),
      {
        // Refused before a request context exists (CSRF, bad method, malformed parameters).
        async invalidRequestWasReceived({ error }) {
          const code = RequestErrorCode.BAD_REQUEST; // the only code Apollo calls this hook for
          metrics.graphqlErrors.inc({ code });
          logger.warn({ code, reason: error.message }, 'request rejected');
        },
        async requestDidStart() {
          const startedAt = process.hrtime.bigint();
          const codes: string[] = [];
          const level = options.operationLogLevel ?? 'debug';
          return {
            async didEncounterErrors({ errors }) {
              for (const error of errors) {
                const code = publicErrorCode(error);
                codes.push(code);
                metrics.graphqlErrors.inc({ code });
              }
            },
            async willSendResponse({ operationName, operation }) {
              // A refused request is this one line at warn, whatever the operation log level.
              const rejected = codes.some(isRequestErrorCode);
              const lineLevel = rejected ? 'warn' : level;
              if (!logger.isLevelEnabled(lineLevel)) return;
              const ms = Number(process.hrtime.bigint() - startedAt) / 1e6;
              logger[lineLevel](
                { operation: operationName ?? null, type: operation?.operation ?? null, ms: Math.round(ms * 10) / 10, errors: codes },
                rejected ? 'graphql request rejected' : 'graphql operation',
              );
            },
          };
        },
      },
      ...(options.apollo.plugins ?? []),
    ],
  } as ApolloServerOptions<TContext>);
  await apollo.start();
  // A POST to `/graphql` is served without Express (graphql-endpoint.ts, ADR 0012); everything else goes through the app.
  const graphql = graphqlEndpoint({ apollo, context: options.context, logger, metrics, bodyLimit });
  server.on('request', (req: IncomingMessage, res: http.ServerResponse) => (isGraphqlPost(req) ? graphql.post(req, res) : app(req, res)));

  app.use(observeHttpRequests(metrics));
  // The caller's x-request-id (or a fresh one) is the correlation id of everything this request
  // causes: its log lines, the calls it makes (forwarded on every fetch) and its events.
  forwardCorrelationIdOnFetch();
  app.use((req, res, next) => {
    const correlationId = correlateRequest(req, res);
    res.locals['requestId'] = correlationId;
    runWithRequestContext({ correlationId }, next);
  });

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', service: options.name });
  });
  app.get('/ready', async (_req, res) => {
    if (!accepting) {
      res.status(503).json({ status: 'stopping' });
      return;
    }
    const results = await Promise.all(
      options.readiness.map(async ({ name, check }) => {
        try {
          await check();
          return [name, 'ok'] as const;
        } catch (error) {
          logger.warn({ err: error, dependency: name }, 'readiness check failed');
          return [name, 'down'] as const;
        }
      }),
    );
    const ready = results.every(([, state]) => state === 'ok');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not-ready', checks: Object.fromEntries(results) });
  });

  options.configure?.(app, server, apollo);

  // Other methods on /graphql (a GET query; Apollo refuses the rest), after any route configure added (the playground's page).
  app.all('/graphql', (req, res, next) => void graphql.execute(req, res, res.locals['requestId'] as string).catch(next));

  app.use(answerNotFound(logger));
  app.use(answerErrors(logger, bodyLimit));

  const metricsServer = http.createServer(metricsApp(metrics, logger));
  const metricsPort = await listen(metricsServer, options.metricsPort ?? loadMetricsPort(options.name), options.host);
  const metricsUrl = `http://${options.host}:${metricsPort}`;
  const port = await listen(server, options.port, options.host).catch((error: unknown) => {
    metricsServer.close();
    throw error;
  });
  const url = `http://${options.host}:${port}`;
  logger.info({ url, metricsUrl }, `${options.name} listening`);

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      accepting = false;
      const runAll = async (hooks: Array<() => Promise<unknown>> = []) => {
        for (const close of hooks) {
          try {
            await close();
          } catch (error) {
            logger.error({ err: error }, 'error while stopping');
          }
        }
      };
      await runAll(options.beforeStop);
      logger.info('stopping: draining HTTP');
      await apollo.stop();
      await runAll(options.onStop);
      // Last, so the drain itself can still be scraped.
      await new Promise((resolve) => {
        metricsServer.close(resolve);
        metricsServer.closeAllConnections();
      });
      logger.info('stopped');
    })());

  return { url, port, metricsUrl, stop };
}

/** Binds a server; answers the port it got (the OS chooses one when asked for 0). */
async function listen(server: http.Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

/** The internal port's only route: Prometheus's scrape. */
function metricsApp(metrics: Metrics, logger: Logger): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(observeHttpRequests(metrics));
  app.get('/metrics', async (_req, res) => {
    res.setHeader('content-type', metrics.registry.contentType);
    res.send(await metrics.registry.metrics());
  });
  app.use(answerNotFound(logger));
  app.use(answerErrors(logger));
  return app;
}

/** SIGTERM/SIGINT → drain, send the last spans and exit 0; a second signal or a 15 s stall exits at once. */
export function stopOnSignals(stop: () => Promise<void>, logger: Logger): void {
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) process.exit(1);
    signalled = true;
    logger.info({ signal }, 'shutdown requested');
    setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, 15_000).unref();
    stop()
      .then(stopTracing)
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
