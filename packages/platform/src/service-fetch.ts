import http from 'node:http';
import https from 'node:https';
import { currentRequestContext, REQUEST_ID_HEADER } from './request-context';

/** The slice of the Fetch API that @apollo/gateway's RemoteGraphQLDataSource uses (its `Fetcher`). */
export interface LeanResponse {
  readonly url: string;
  readonly status: number;
  readonly ok: boolean;
  readonly statusText: string;
  readonly redirected: false;
  readonly bodyUsed: boolean;
  readonly headers: LeanHeaders;
  text(): Promise<string>;
  json(): Promise<unknown>;
  arrayBuffer(): Promise<ArrayBuffer>;
  clone(): LeanResponse;
}

/** Response headers, read-only in practice (the gateway only reads content-type and cache-control). */
class LeanHeaders implements Iterable<[string, string]> {
  constructor(private readonly map: Map<string, string>) {}
  get(name: string): string | null {
    return this.map.get(name.toLowerCase()) ?? null;
  }
  has(name: string): boolean {
    return this.map.has(name.toLowerCase());
  }
  set(name: string, value: string): void {
    this.map.set(name.toLowerCase(), value);
  }
  append(name: string, value: string): void {
    const key = name.toLowerCase();
    const existing = this.map.get(key);
    this.map.set(key, existing === undefined ? value : `${existing}, ${value}`);
  }
  delete(name: string): void {
    this.map.delete(name.toLowerCase());
  }
  entries(): IterableIterator<[string, string]> {
    return this.map.entries();
  }
  keys(): IterableIterator<string> {
    return this.map.keys();
  }
  values(): IterableIterator<string> {
    return this.map.values();
  }
  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.map.entries();
  }
}

function leanResponse(url: string, response: http.IncomingMessage, body: Buffer): LeanResponse {
  const headers = new Map<string, string>();
  for (const [name, value] of Object.entries(response.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const status = response.statusCode ?? 0;
  const make = (): LeanResponse => {
    let used = false;
    const take = () => {
      used = true;
      return body.toString('utf8');
    };
    return {
      url,
      status,
      ok: status >= 200 && status < 300,
      statusText: response.statusMessage ?? '',
      redirected: false,
      get bodyUsed() {
        return used;
      },
      headers: new LeanHeaders(new Map(headers)),
      text: async () => take(),
      json: async () => JSON.parse(take()) as unknown,
      arrayBuffer: async () => {
        used = true;
        return body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer;
      },
      clone: make,
    };
  };
  return make();
}

export interface ServiceFetchInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Bounds a peer that accepts the request and never answers; the fetcher's own default otherwise. */
  timeoutMs?: number;
}

function withCorrelationId(headers: Record<string, string>): Record<string, string> {
  const correlationId = currentRequestContext()?.correlationId;
  if (!correlationId || Object.keys(headers).some((name) => name.toLowerCase() === REQUEST_ID_HEADER)) return headers;
  return { ...headers, [REQUEST_ID_HEADER]: correlationId };
}

export type ServiceFetch = (url: string, init?: ServiceFetchInit) => Promise<LeanResponse>;

/**
 * Service-to-service HTTP (the gateway's subgraph calls, booking asking the queue and concert,
 * the queue asking concert): a plain `http.request` on a keep-alive agent per scheme, instead of
 * Node's fetch (undici). Measured by `npm run bench:requests`: undici's per-request machinery
 * (WHATWG streams, Request/Response objects, AbortSignal plumbing) cost the gateway about as much
 * CPU as the subgraph's whole answer to `{ me { id } }`. The bodies are whole JSON documents, so
 * streaming buys nothing here. The answer is the slice of the Fetch API callers read (and
 * @apollo/gateway's RemoteGraphQLDataSource, as its `Fetcher`).
 *
 * A timeout fails the request (as a refused connection does). Tracing and correlation:
 * http.request is instrumented by OpenTelemetry's http instrumentation, and a call made while
 * serving a request or handling an event carries its correlation id (unless the caller set one),
 * as `fetch` does through forwardCorrelationIdOnFetch.
 */
/**
 * How long an idle kept-alive socket is kept: below every server it talks to here, our services'
 * `keepAliveTimeout` of 65 s (service.ts) and HAProxy's `http-keep-alive` of 60 s (infra/instances.ts),
 * so the client always retires a socket before its server does. It was 4 s, under Node's default
 * 5 s, which no service here keeps: after any pause over 4 s every call between services opened a
 * fresh connection, and the first burst after a quiet spell (an on-sale opening) paid for them all.
 */
const IDLE_SOCKET_MS = 30_000;

export function createServiceFetch(options: { maxSockets?: number; timeoutMs?: number } = {}) {
  // `timeout` retires an idle kept-alive socket before the server does: Node's agent then also
  // follows a server's shorter `Keep-Alive: timeout=N` hint (closing a second before it), but only
  // when a timeout is set at all. Without one, an idle socket lived until the server closed it,
  // and a call that picked it up at that moment failed with ECONNRESET, which the gateway answers
  // as SERVICE_UNAVAILABLE (fresh-clone `npm test`: a signUp among 1,000, subgraph up all along).
  const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 256, maxFreeSockets: 64, scheduling: 'lifo' as const, timeout: IDLE_SOCKET_MS };
  const agents = { 'http:': new http.Agent(agentOptions), 'https:': new https.Agent(agentOptions) };
  const defaultTimeoutMs = options.timeoutMs ?? 30_000;

  const fetch: ServiceFetch = (url, init = {}) =>
    new Promise((resolve, reject) => {
      const target = new URL(url);
      const transport = target.protocol === 'https:' ? https : http;
      const body = init.body === undefined ? undefined : typeof init.body === 'string' ? Buffer.from(init.body, 'utf8') : init.body;
      const timeoutMs = init.timeoutMs ?? defaultTimeoutMs;
      const request = transport.request(
        target,
        {
          agent: agents[target.protocol as keyof typeof agents],
          method: init.method ?? 'GET',
          headers: withCorrelationId({ ...init.headers, ...(body && { 'content-length': String(body.byteLength) }) }),
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve(leanResponse(url, response, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks))));
          response.on('error', reject);
        },
      );
      request.setTimeout(timeoutMs, () => request.destroy(new Error(`no answer from ${target.host} within ${timeoutMs} ms`)));
      request.on('error', reject);
      request.end(body);
    });

  return {
    fetch,
    /** Closes the idle keep-alive sockets (on stop). */
    close() {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  };
}

/** The process's one service-to-service client; its idle sockets are unref'd, so they never hold a process open. */
const shared = createServiceFetch();
export const serviceFetch: ServiceFetch = shared.fetch;
