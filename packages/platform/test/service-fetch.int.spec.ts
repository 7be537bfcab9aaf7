import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServiceFetch } from '../src/service-fetch';

/*
 * The service-to-service client against a real HTTP server on loopback: the answer as callers
 * read it, one kept-alive connection for many calls (counted by the server), and a peer that
 * never answers failing the call at its timeout.
 */
describe('service fetch', () => {
  let server: http.Server;
  let url: string;
  let connections = 0;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/silent') return; // accepts and never answers
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        res.writeHead(req.url === '/missing' ? 404 : 200, { 'content-type': 'application/json', 'x-seen-method': req.method ?? '' });
        res.end(JSON.stringify({ echoed: body ? (JSON.parse(body) as unknown) : null }));
      });
    });
    server.on('connection', () => connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('given a JSON POST, then status, headers and body read as fetch would give them', async () => {
    const client = createServiceFetch();
    const response = await client.fetch(`${url}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ seats: ['a', 'ü'] }) });
    expect(response.ok).toBe(true);
    expect(response.status).toBe(200);
    expect(response.headers.get('X-Seen-Method')).toBe('POST');
    expect(await response.json()).toEqual({ echoed: { seats: ['a', 'ü'] } });
    const missing = await client.fetch(`${url}/missing`);
    expect([missing.ok, missing.status]).toEqual([false, 404]);
    client.close();
  });

  it('given 50 calls one after another, then they share one kept-alive connection', async () => {
    const client = createServiceFetch();
    const before = connections;
    for (let i = 0; i < 50; i++) await (await client.fetch(`${url}/echo`, { method: 'POST', body: '{}' })).text();
    expect(connections - before).toBe(1);
    client.close();
  });

  /** A server that closes idle connections after `keepAliveTimeout` ms and counts the connections opened to it. */
  async function withKeepAliveServer(keepAliveTimeout: number, run: (url: string, opened: () => number) => Promise<void>): Promise<void> {
    const keeping = http.createServer((_req, res) => res.end('{}'));
    keeping.keepAliveTimeout = keepAliveTimeout;
    let opened = 0;
    keeping.on('connection', () => opened++);
    await new Promise<void>((resolve) => keeping.listen(0, '127.0.0.1', resolve));
    try {
      await run(`http://127.0.0.1:${(keeping.address() as AddressInfo).port}/`, () => opened);
    } finally {
      keeping.closeAllConnections();
      await new Promise((resolve) => keeping.close(resolve));
    }
  }

  it('given a server that closes idle connections after 2 s, then the client retires its idle socket first (after 1 s, the server\'s hint less a second) and never reuses one the server is closing', async () => {
    await withKeepAliveServer(2_000, async (shortUrl, opened) => {
      const client = createServiceFetch();
      try {
        await (await client.fetch(shortUrl)).text();
        await (await client.fetch(shortUrl)).text();
        expect(opened()).toBe(1); // kept alive between calls close together
        await new Promise((resolve) => setTimeout(resolve, 1_500));
        // Past the client's 1 s, short of the server's 2 s: a fresh connection, not the one about to close.
        await (await client.fetch(shortUrl)).text();
        expect(opened()).toBe(2);
      } finally {
        client.close();
      }
    });
  });

  it('given a server that keeps connections 65 s as ours do, then a connection idle for 5 s is used again', async () => {
    await withKeepAliveServer(65_000, async (oursUrl, opened) => {
      const client = createServiceFetch();
      try {
        await (await client.fetch(oursUrl)).text();
        // Past Node's default server keep-alive (5 s), which the client used to stay under.
        await new Promise((resolve) => setTimeout(resolve, 5_500));
        await (await client.fetch(oursUrl)).text();
        expect(opened()).toBe(1);
      } finally {
        client.close();
      }
    });
  });

  it('given a peer that never answers, then the call fails at its timeout', async () => {
    const client = createServiceFetch();
    await expect(client.fetch(`${url}/silent`, { timeoutMs: 100 })).rejects.toThrow(/no answer from 127\.0\.0\.1:\d+ within 100 ms/);
    client.close();
  });
});
