import path from 'node:path';
import type express from 'express';

const fromPackage = (pkg: string, file: string) => path.join(path.dirname(require.resolve(`${pkg}/package.json`)), file);
const ownFile = (file: string) => path.join(__dirname, 'static', file);

/** Every file the page loads, from node_modules or next to this module: the playground works offline. */
const ASSETS: Record<string, { file: string; type: string }> = {
  'react.js': { file: fromPackage('react', 'umd/react.production.min.js'), type: 'application/javascript' },
  'react-dom.js': { file: fromPackage('react-dom', 'umd/react-dom.production.min.js'), type: 'application/javascript' },
  'graphiql.js': { file: fromPackage('graphiql', 'graphiql.min.js'), type: 'application/javascript' },
  'graphiql.css': { file: fromPackage('graphiql', 'graphiql.min.css'), type: 'text/css' },
  'graphql-ws.js': { file: fromPackage('graphql-ws', 'umd/graphql-ws.min.js'), type: 'application/javascript' },
  'playground.js': { file: ownFile('playground.js'), type: 'application/javascript' },
  'playground.css': { file: ownFile('playground.css'), type: 'text/css' },
  // Its own icon, or the browser asks for /favicon.ico and logs the 404 as a console error.
  'favicon.svg': { file: ownFile('favicon.svg'), type: 'image/svg+xml' },
};

/** A bare host[:port] (name, IPv4 or bracketed IPv6); anything else stays out of the header. */
const PLAIN_HOST = /^(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/**
 * Exactly what the page uses: its own scripts (no inline ones, no eval) and styles, GraphiQL's
 * fonts and icons (data: URIs inside graphiql.css) and the gateway's own /graphql over HTTP and
 * WebSocket. Browsers before CSP 3 do not count ws: as 'self', so the socket's origin is named;
 * both schemes, because behind a TLS-terminating proxy the gateway cannot tell which one the page has.
 */
export function playgroundContentSecurityPolicy(host: string | undefined): string {
  const sockets = host && PLAIN_HOST.test(host) ? ` ws://${host} wss://${host}` : '';
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    // GraphiQL's dialogs (settings, short keys) lock page scrolling with a <style> element they
    // write at run time (react-remove-scroll), with no nonce hook in the prebuilt bundle: inline
    // style elements only, never style attributes or scripts.
    "style-src-elem 'self' 'unsafe-inline'",
    'font-src data:',
    "img-src 'self' data:",
    `connect-src 'self'${sockets}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** A self-hosted GraphiQL at /playground (and for browsers opening /graphql). */
export function mountPlayground(app: express.Express): void {
  const sendPage = (req: express.Request, res: express.Response) => {
    res.setHeader('content-security-policy', playgroundContentSecurityPolicy(req.get('host')));
    res.type('html').sendFile(ownFile('playground.html'));
  };
  app.get('/playground', sendPage);
  app.get('/graphql', (req, res, next) => (req.accepts(['application/json', 'html']) === 'html' ? sendPage(req, res) : next()));
  app.get('/playground/assets/:name', (req, res) => {
    const entry = ASSETS[req.params.name];
    if (!entry) {
      res.status(404).end();
      return;
    }
    // Revalidated on every load (a 304 with the ETag): never a stale bootstrap after an upgrade.
    res.type(entry.type).setHeader('cache-control', 'no-cache');
    res.sendFile(entry.file);
  });
}
