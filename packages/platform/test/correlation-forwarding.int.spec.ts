import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { forwardCorrelationIdOnFetch, REQUEST_ID_HEADER, runWithRequestContext } from '../src/request-context';
import { serviceFetch } from '../src/service-fetch';

/*
 * A fetch made while serving a request (or handling an event) carries that work's correlation
 * id to the service it calls, whatever adapter makes it; a caller's own header is kept, and work
 * outside any context sends none. A real HTTP server on loopback sees what arrived.
 */

describe.each([
  ['fetch (undici)', (url: string, headers: Record<string, string>) => fetch(url, { headers })],
  ['serviceFetch', (url: string, headers: Record<string, string>) => serviceFetch(url, { headers })],
])('the correlation id on outgoing calls: %s', (_name, send) => {
  let server: http.Server;
  let url: string;
  const received: Array<string | string[] | undefined> = [];

  beforeAll(async () => {
    forwardCorrelationIdOnFetch();
    forwardCorrelationIdOnFetch(); // idempotent: one header, not two
    server = http.createServer((req, res) => {
      received.push(req.headers[REQUEST_ID_HEADER]);
      res.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  beforeEach(() => received.splice(0));
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const call = async (headers: Record<string, string> = {}) => (await send(url, headers)).text();

  it('given a request in hand, when it calls another service, then the call carries its correlation id', async () => {
    await runWithRequestContext({ correlationId: 'fan-request-7' }, () => call());
    expect(received).toEqual(['fan-request-7']);
  });

  it('keeps an id the caller set itself (the gateway sets the subscription’s own)', async () => {
    await runWithRequestContext({ correlationId: 'fan-request-7' }, () => call({ 'X-Request-Id': 'set-by-caller' }));
    expect(received).toEqual(['set-by-caller']);
  });

  it('sends none for work outside any request or event', async () => {
    await call();
    expect(received).toEqual([undefined]);
  });
});
