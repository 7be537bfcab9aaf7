import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { subscribe } from 'node:diagnostics_channel';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { trace } from '@opentelemetry/api';
import { CORRELATION_ID_ATTRIBUTE } from './tracing';

/**
 * The correlation id of the work in hand, visible to every log line it causes: an HTTP
 * request's `x-request-id` (the same value its events carry as `correlationId`), or the
 * `correlationId` of the event a consumer is handling. One fan's action keeps one id from
 * the gateway through every subgraph and every consumer downstream.
 */
export interface RequestContext {
  correlationId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** The header that carries the correlation id over HTTP, in both directions. */
export const REQUEST_ID_HEADER = 'x-request-id';

export function runWithRequestContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

/**
 * An arriving HTTP request's correlation id: the caller's x-request-id, or a fresh one. It is
 * echoed on the response and set on the active span; the caller then runs the request under it
 * (runWithRequestContext), so its log lines, the calls it makes and its events carry it.
 */
export function correlateRequest(req: IncomingMessage, res: ServerResponse): string {
  const correlationId = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
  res.setHeader(REQUEST_ID_HEADER, correlationId);
  trace.getActiveSpan()?.setAttribute(CORRELATION_ID_ATTRIBUTE, correlationId);
  return correlationId;
}

export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}

/** Accepts a caller's id only if it looks like one, so logs cannot be polluted through the header. */
export function requestIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && /^[A-Za-z0-9._-]{1,100}$/.test(value) ? value : randomUUID();
}

/** What undici publishes on `undici:request:create`: headers as [name, value, …] (a raw string in undici < 6). */
interface UndiciRequest {
  headers: string[] | string;
  addHeader: (name: string, value: string) => unknown;
}

const hasHeader = (headers: UndiciRequest['headers'], name: string) =>
  Array.isArray(headers)
    ? headers.some((value, index) => index % 2 === 0 && value.toLowerCase() === name)
    : new RegExp(`(^|\\r\\n)${name}:`, 'i').test(headers);

let forwarding = false;

/**
 * Every `fetch` made while serving a request or handling an event carries its correlation id
 * (unless the caller set one), so the services it calls log under the same id. Hooked on
 * undici's diagnostics channel rather than at each call site: all outgoing calls of these
 * processes are service-to-service (`fetch` is undici), and a new adapter cannot forget it.
 * A request shared by concurrent callers (a cache fill) carries the first caller's id.
 */
export function forwardCorrelationIdOnFetch(): void {
  if (forwarding) return;
  forwarding = true;
  subscribe('undici:request:create', (message) => {
    const correlationId = storage.getStore()?.correlationId;
    const { request } = message as { request: UndiciRequest };
    if (correlationId && !hasHeader(request.headers, REQUEST_ID_HEADER)) request.addHeader(REQUEST_ID_HEADER, correlationId);
  });
}
