import { testSystem } from '@ticketing/test-support';

/**
 * The gateway serves the web client's production build beside its API: index.html for client
 * routes a browser navigates to, JSON for everything else, hashed assets cached for a year.
 */
const base = () => testSystem().serviceUrls['gateway']!;
const HTML = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

describe('the web client at /', () => {
  it('answers a browser navigating to a client route with index.html under a strict CSP, revalidated', async () => {
    for (const path of ['/', '/schedules/5c4ed000-0000-4000-8000-000000000011', '/bookings']) {
      const response = await fetch(`${base()}${path}`, { headers: { accept: HTML } });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(response.headers.get('cache-control')).toBe('no-cache');
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/unsafe-(inline|eval)/);
      expect(csp).toContain(`connect-src 'self' ws://${new URL(base()).host}`);
      expect(await response.text()).toContain('<div id="root"></div>');
    }
  });

  it('caches hashed assets for a year and keeps the build stamp private', async () => {
    const page = await (await fetch(`${base()}/`, { headers: { accept: HTML } })).text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(page)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${base()}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    // React's production build, whatever NODE_ENV the build ran under (jest's is `test`): the
    // development one carries this console hint, and twice the size.
    expect(await asset.text()).not.toContain('React DevTools');
    expect((await fetch(`${base()}/.source-hash`, { headers: { accept: HTML } })).headers.get('content-type')).toMatch(/^text\/html/);
    const missing = await fetch(`${base()}/assets/index-missing.js`, { headers: { accept: HTML } });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/application\/json/);
  });

  it('keeps answering JSON for the API, health, readiness, unknown paths and non-GET requests', async () => {
    const graphql = await fetch(`${base()}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });
    expect(await graphql.json()).toEqual({ data: { __typename: 'Query' } });
    for (const path of ['/health', '/ready']) {
      expect((await fetch(`${base()}${path}`, { headers: { accept: HTML } })).headers.get('content-type')).toMatch(/application\/json/);
    }
    const unknownApi = await fetch(`${base()}/no-such-route`, { headers: { accept: 'application/json' } });
    expect(unknownApi.status).toBe(404);
    expect(unknownApi.headers.get('content-type')).toMatch(/application\/json/);
    const posted = await fetch(`${base()}/bookings`, { method: 'POST', headers: { accept: HTML } });
    expect(posted.status).toBe(404);
    expect(posted.headers.get('content-type')).toMatch(/application\/json/);
    const anyType = await fetch(`${base()}/bookings`);
    expect(anyType.headers.get('content-type')).toMatch(/application\/json/);
  });
});
