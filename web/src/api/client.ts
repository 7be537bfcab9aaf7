import { createClient, type Client } from 'graphql-ws';
import type { TypedDocumentString } from '../generated/graphql';
import { failureFrom, humanMessage, type ApiFailure } from './errors';

/**
 * The app's one way to the API: queries and mutations as HTTP POSTs to /graphql, subscriptions
 * over graphql-ws on the same URL. No client cache: each screen reads what it shows and applies
 * the pushes it subscribed to, and re-reads after a reconnect (the pushes sent while the socket
 * was down are gone). ADR 0009 says why this and not urql or Apollo Client.
 */

export class ApiError extends Error {
  constructor(readonly failure: ApiFailure) {
    super(humanMessage(failure));
  }
  get code() {
    return this.failure.code;
  }
}

type Variables<V> = V extends Record<string, never> ? [] : [variables: V];

let token: string | null = null;
/** Set by the session on log-in and log-out; the next socket connects with it. */
export function setToken(next: string | null): void {
  if (next === token) return;
  token = next;
  void live?.dispose();
  live = undefined;
}

export async function request<R, V>(document: TypedDocumentString<R, V>, ...[variables]: Variables<V>): Promise<R> {
  let response: Response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query: document.toString(), variables: variables ?? {} }),
    });
  } catch {
    throw new ApiError({ code: 'NETWORK' });
  }
  const body = (await response.json().catch(() => ({}))) as { data?: R | null; errors?: Array<{ message?: string; extensions?: Record<string, unknown> }> };
  if (body.errors?.length) throw new ApiError(failureFrom(body.errors[0]));
  if (!body.data) throw new ApiError({ code: response.ok ? 'UNKNOWN' : 'NETWORK' });
  return body.data;
}

export type Connection = 'connected' | 'reconnecting';
const connectionListeners = new Set<(state: Connection) => void>();
const resyncListeners = new Set<() => void>();
let live: Client | undefined;

/** Called on every change of the socket's state (the app's banner). */
export function onConnectionChange(listener: (state: Connection) => void): () => void {
  connectionListeners.add(listener);
  return () => connectionListeners.delete(listener);
}

/** Called after the socket came back: re-read whatever pushes were keeping fresh. */
export function onResync(listener: () => void): () => void {
  resyncListeners.add(listener);
  return () => resyncListeners.delete(listener);
}

function liveClient(): Client {
  if (live) return live;
  const client = createClient({
    url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`,
    connectionParams: () => (token ? { authorization: `Bearer ${token}` } : {}),
    // A fan may wait in line for a long time: never give up on the socket while a screen needs it.
    retryAttempts: Number.POSITIVE_INFINITY,
    retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, Math.min(500 * 2 ** retries, 5_000))),
    // graphql-ws retries close events only: a refused connection (the gateway restarting) reaches
    // it as an error event first, and by default that ends every subscription for good. Fatal
    // close codes (an invalid token, too many sockets) are still thrown before this is asked.
    shouldRetry: () => true,
  });
  client.on('connected', (_socket, _payload, wasRetry) => {
    connectionListeners.forEach((listener) => listener('connected'));
    if (wasRetry) resyncListeners.forEach((listener) => listener());
  });
  // 1000 is the client's own lazy close once nothing listens; anything else is a lost socket.
  client.on('closed', (event) => {
    if (live === client && (event as { code?: number }).code !== 1000) connectionListeners.forEach((listener) => listener('reconnecting'));
  });
  live = client;
  return client;
}

export interface LiveHandlers<R> {
  next: (data: R) => void;
  error?: (error: ApiError) => void;
  complete?: () => void;
}

/** Subscribes until the returned function is called; graphql-ws resubscribes after a reconnect. */
export function subscribe<R, V>(document: TypedDocumentString<R, V>, variables: V, handlers: LiveHandlers<R>): () => void {
  return liveClient().subscribe<R>(
    { query: document.toString(), variables: variables as Record<string, unknown> },
    {
      next: (result) => {
        if (result.errors?.length) handlers.error?.(new ApiError(failureFrom(result.errors[0] as { message?: string; extensions?: Record<string, unknown> })));
        else if (result.data) handlers.next(result.data);
      },
      error: (error: unknown) => {
        const first = Array.isArray(error) ? (error[0] as { message?: string; extensions?: Record<string, unknown> }) : undefined;
        handlers.error?.(new ApiError(first ? failureFrom(first) : { code: 'NETWORK' }));
      },
      complete: () => handlers.complete?.(),
    },
  );
}

/** The message to show for anything a call threw. */
export const messageOf = (error: unknown) => (error instanceof ApiError ? error.message : humanMessage({ code: 'UNKNOWN' }));
