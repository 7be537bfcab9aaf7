import path from 'node:path';
import WebSocket from 'ws';
import { metricsUrl, ROOT, SERVICES, spawnService, waitUntilReady } from '../../infra/services';
import { errorCode, gql, testSystem } from '@ticketing/test-support';

const started = () => Object.entries(testSystem().serviceUrls).filter(([name]) => {
  const only = process.env['TEST_SERVICES']?.split(',');
  return !only || only.includes(name);
});

describe('every process is operable', () => {
  it('answers /health and /ready, and Prometheus /metrics on its internal port only', async () => {
    for (const [name, url] of started()) {
      const health = await fetch(`${url}/health`);
      expect({ name, status: health.status }).toEqual({ name, status: 200 });
      const ready = await fetch(`${url}/ready`);
      expect({ name, status: ready.status }).toEqual({ name, status: 200 });
      expect({ name, status: (await fetch(`${url}/metrics`)).status }).toEqual({ name, status: 404 });
      const service = SERVICES.find((candidate) => candidate.name === name)!;
      const metrics = await (await fetch(metricsUrl(service, testSystem().env))).text();
      expect(metrics).toContain('http_request_duration_seconds_bucket');
      expect(metrics).toContain(`service="${name}"`);
    }
  });

  it('keeps a caller-supplied correlation id and invents one otherwise', async () => {
    const url = testSystem().gatewayUrl;
    const withId = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'trace-abc-123' },
      body: JSON.stringify({ query: '{ me { id } }' }),
    });
    expect(withId.headers.get('x-request-id')).toBe('trace-abc-123');
    const hostile = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'evil\tvalue with spaces' },
      body: JSON.stringify({ query: '{ me { id } }' }),
    });
    expect(hostile.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('drains and exits 0 on SIGTERM', async () => {
    const { env, runId } = testSystem();
    const user = SERVICES.find((service) => service.name === 'user')!;
    const port = 20000 + Math.floor(Math.random() * 20000);
    const child = spawnService(
      user,
      { ...process.env, ...env, USER_PORT: String(port), USER_METRICS_PORT: '0', LOG_LEVEL: 'info' },
      path.join(ROOT, '.run', 'test-logs', runId, 'sigterm-user.log'),
    );
    await waitUntilReady(`http://127.0.0.1:${port}`, 60_000, child);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});

describe('the gateway stops cleanly with live subscribers', () => {
  it('closes open WebSockets as "going away" (1001) before draining, then exits 0', async () => {
    const { env, runId } = testSystem();
    const gateway = SERVICES.find((service) => service.name === 'gateway')!;
    const port = 20000 + Math.floor(Math.random() * 20000);
    const child = spawnService(
      gateway,
      { ...process.env, ...env, GATEWAY_PORT: String(port), GATEWAY_METRICS_PORT: '0' },
      path.join(ROOT, '.run', 'test-logs', runId, 'sigterm-gateway.log'),
    );
    await waitUntilReady(`http://127.0.0.1:${port}`, 60_000, child);
    const socket = new WebSocket(`ws://127.0.0.1:${port}/graphql`, 'graphql-transport-ws');
    await new Promise<void>((resolve) => {
      socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: {} })));
      socket.on('message', () => resolve()); // connection_ack
    });
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await closed).toBe(1001);
    expect(await exited).toBe(0);
  });
});

describe('the gateway', () => {
  it('serves a self-hosted playground whose every asset is local', async () => {
    const base = testSystem().serviceUrls['gateway']!;
    const page = await fetch(`${base}/playground`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).not.toMatch(/https?:\/\//);
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
    expect(assets.length).toBeGreaterThanOrEqual(4);
    for (const asset of assets) {
      const response = await fetch(`${base}${asset}`);
      expect({ asset, status: response.status }).toEqual({ asset, status: 200 });
      expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(100);
    }
    const browser = await fetch(`${base}/graphql`, { headers: { accept: 'text/html' } });
    expect(await browser.text()).toContain('/playground/assets/graphiql.js');
  });

  it('refuses documents that are too deep or alias-heavy, before planning', async () => {
    let selection = 'name';
    for (let i = 0; i < 14; i += 1) selection = `ofType { ${selection} }`;
    // Apollo reports every failed validation rule as GRAPHQL_VALIDATION_FAILED; the message says which.
    const deep = await gql(`{ __schema { types { fields { type { ${selection} } } } } }`);
    expect(errorCode(deep)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(deep.errors?.[0]?.message).toMatch(/^Query depth limit of 16 exceeded, found \d+\.$/);
    const aliases = Array.from({ length: 31 }, (_, i) => `a${i}: me { id }`).join(' ');
    const aliased = await gql(`{ ${aliases} }`);
    expect(errorCode(aliased)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(aliased.errors?.[0]?.message).toBe('Aliases limit of 30 exceeded, found 31.');
  });

  it('answers malformed requests with a code, not a crash', async () => {
    const response = await fetch(testSystem().gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query": "{ me { id "}',
    });
    const body = (await response.json()) as { errors: Array<{ extensions: { code: string } }> };
    expect(body.errors[0]?.extensions.code).toBe('GRAPHQL_PARSE_FAILED');
  });
});
