import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { metricsUrl, ROOT, SERVICES } from '../../infra/services';
import { testSystem } from '@ticketing/test-support';

/**
 * Every port answers a request it cannot serve with an honest 4xx and the one error shape
 * (`{ errors: [{ message, extensions: { code } }] }`), and logs it as one JSON line at warn:
 * never Express's HTML page with a stack, never a 500 for the caller's mistake.
 */
interface Shape {
  name: string;
  method?: string;
  path?: string;
  contentType?: string;
  body?: string;
  status: number;
  code: string;
}

const json = (value: unknown) => JSON.stringify(value);
const SHAPES: Shape[] = [
  { name: 'malformed JSON', body: '{"query": "{ __typename }"', status: 400, code: 'BAD_REQUEST' },
  // Twenty times the 100 kB limit: refused while reading, before any parsing.
  { name: 'an oversized body', body: json({ query: '{ __typename }', variables: { pad: 'x'.repeat(2_000_000) } }), status: 413, code: 'PAYLOAD_TOO_LARGE' },
  { name: 'a text/plain body', contentType: 'text/plain', body: json({ query: '{ __typename }' }), status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  { name: 'a form body', contentType: 'application/x-www-form-urlencoded', body: 'query=%7B__typename%7D', status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  { name: 'an unknown operationName', body: json({ query: 'query A { __typename }', operationName: 'B' }), status: 400, code: 'OPERATION_RESOLUTION_FAILURE' },
  { name: 'two named operations and no operationName', body: json({ query: 'query A { __typename } query B { __typename }' }), status: 400, code: 'OPERATION_RESOLUTION_FAILURE' },
  { name: 'two anonymous operations', body: json({ query: '{ __typename } { __typename }' }), status: 400, code: 'GRAPHQL_VALIDATION_FAILED' },
  {
    name: 'a subscription over HTTP POST',
    body: json({ query: 'subscription { seatsUpdated(scheduleId: "5c4ed000-0000-4000-8000-000000000011") { id } }' }),
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'a persisted query whose hash is not its query',
    body: json({ query: '{ __typename }', extensions: { persistedQuery: { version: 1, sha256Hash: '0'.repeat(64) } } }),
    status: 400,
    code: 'PERSISTED_QUERY_HASH_MISMATCH',
  },
  // graphql-over-http: 405 for a method the endpoint does not serve.
  { name: 'a PUT', method: 'PUT', body: json({ query: '{ __typename }' }), status: 405, code: 'BAD_REQUEST' },
  { name: 'an unknown route', method: 'GET', path: '/no-such-route', status: 404, code: 'NOT_FOUND' },
  { name: '/metrics on the public port', method: 'GET', path: '/metrics', status: 404, code: 'NOT_FOUND' },
];

const logFile = (service: string) => path.join(ROOT, '.run', 'test-logs', testSystem().runId, `${service}.log`);

/** The service's log lines that carry this request id, once one at warn or above has been written. */
async function loggedLines(service: string, requestId: string): Promise<string[]> {
  let lines: string[] = [];
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const file = logFile(service);
    lines = existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((line) => line.includes(requestId)) : [];
    if (lines.some((line) => /"level":"(warn|error|fatal)"/.test(line))) return lines;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return lines;
}

describe.each(['gateway', 'concert'])('the %s port refuses what it cannot serve', (service) => {
  const base = () => testSystem().serviceUrls[service]!;

  it.each(SHAPES.map((shape) => [shape.name, shape] as const))('%s', async (_name, shape) => {
    const requestId = `refused-${randomUUID()}`;
    const response = await fetch(`${base()}${shape.path ?? '/graphql'}`, {
      method: shape.method ?? 'POST',
      headers: { 'content-type': shape.contentType ?? 'application/json', 'x-request-id': requestId },
      ...(shape.body !== undefined ? { body: shape.body } : {}),
    });
    const text = await response.text();

    expect({ status: response.status, type: response.headers.get('content-type') }).toEqual({
      status: shape.status,
      type: expect.stringMatching(/^application\/json/),
    });
    expect(text).not.toMatch(/<html|node_modules|\bat \S+ \(|stack/i);
    expect(text).not.toContain(ROOT);
    const body = JSON.parse(text) as { errors: Array<{ message: unknown; extensions: { code: unknown } }> };
    expect(body.errors.length).toBeGreaterThan(0);
    for (const error of body.errors) {
      expect(error).toEqual({ message: expect.any(String), extensions: { code: shape.code }, ...('locations' in error ? { locations: expect.any(Array) } : {}) });
    }

    const lines = await loggedLines(service, requestId);
    const parsed = lines.map((line) => JSON.parse(line) as { level: string; msg: string });
    const loud = parsed.filter((line) => ['warn', 'error', 'fatal'].includes(line.level));
    expect(loud).toHaveLength(1);
    expect(loud[0]).toMatchObject({ level: 'warn', correlationId: requestId });
    expect(JSON.stringify(loud[0])).toContain(shape.code);
    expect(JSON.stringify(loud[0])).not.toMatch(/stack|node_modules/);
  });

  it('serves Prometheus text on its internal metrics port', async () => {
    const spec = SERVICES.find((candidate) => candidate.name === service)!;
    const internal = metricsUrl(spec, testSystem().env);
    expect(new URL(internal).port).not.toBe(new URL(base()).port);
    const response = await fetch(internal);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await response.text()).toContain(`process_cpu_seconds_total{service="${service}"}`);
  });
});
