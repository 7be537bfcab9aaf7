import type { IncomingMessage, ServerResponse } from 'node:http';
import type express from 'express';
import type { Metrics } from './metrics';

/**
 * The routes a process serves, each its own `route` label; everything else is `other`, so a
 * scanner probing random paths cannot grow the series count without bound.
 */
export const HTTP_ROUTES = ['/graphql', '/health', '/ready', '/metrics', '/playground'] as const;
export type HttpRoute = (typeof HTTP_ROUTES)[number] | 'other';

const KNOWN: ReadonlySet<string> = new Set(HTTP_ROUTES);

/**
 * The label of a request, from its full URL as it arrived (`req.originalUrl`). Not `req.path`:
 * inside `app.use('/graphql', …)` Express strips the mount point, and a response finished there
 * still sees `/`, which is why every GraphQL POST used to be counted as `other`.
 */
export function routeLabel(originalUrl: string): HttpRoute {
  const path = originalUrl.split('?', 1)[0] ?? '';
  // Express matches `/graphql/` like `/graphql` (non-strict routing): count them alike.
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  return KNOWN.has(trimmed) ? (trimmed as HttpRoute) : 'other';
}

/** Times one request into `http_request_duration_seconds{route,method,status}` once it is answered. */
export function timeHttpRequest(metrics: Pick<Metrics, 'httpDuration'>, req: IncomingMessage & { originalUrl?: string }, res: ServerResponse): void {
  const end = metrics.httpDuration.startTimer();
  res.on('finish', () => end({ route: routeLabel(req.originalUrl ?? req.url ?? ''), method: req.method ?? 'GET', status: res.statusCode }));
}

/** Times every request of an Express app (`timeHttpRequest`). */
export function observeHttpRequests(metrics: Pick<Metrics, 'httpDuration'>): express.RequestHandler {
  return (req, res, next) => {
    timeHttpRequest(metrics, req, res);
    next();
  };
}
