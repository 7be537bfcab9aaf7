import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type express from 'express';

/** web/dist from gateway/src or gateway/dist alike: the build keeps every file at the same depth. */
const WEB_DIST = path.join(__dirname, '..', '..', 'web', 'dist');

/** Paths the gateway answers itself (JSON, text or the playground): never the app's index.html. */
const API_PREFIXES = ['/graphql', '/health', '/ready', '/metrics', '/playground', '/exports', '/assets'];

/** A bare host[:port] (name, IPv4 or bracketed IPv6); anything else stays out of the header. */
const PLAIN_HOST = /^(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/**
 * The web client loads only its own bundle and talks only to /graphql (HTTP and WebSocket):
 * no inline script or style, no eval, no other origin. ws:/wss: are named because browsers
 * before CSP 3 do not count them as 'self' (as for the playground).
 */
export function webClientContentSecurityPolicy(host: string | undefined): string {
  const sockets = host && PLAIN_HOST.test(host) ? ` ws://${host} wss://${host}` : '';
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self'${sockets}`,
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

const isApiPath = (urlPath: string) => API_PREFIXES.some((prefix) => urlPath === prefix || urlPath.startsWith(`${prefix}/`));

/**
 * Serves the web client's production build (scripts/build.ts runs `vite build`) at /: hashed
 * assets cached for a year (a new build has new names), everything else revalidated. Client
 * routes get index.html (history fallback) only for a GET or HEAD that prefers HTML, so API
 * callers keep getting JSON, including the 404 for an unknown path.
 */
export function mountWebClient(app: express.Express): void {
  const index = path.join(WEB_DIST, 'index.html');
  app.get('/assets/:file', (req, res, next) => {
    const file = path.join(WEB_DIST, 'assets', path.basename(req.params.file));
    if (!existsSync(file)) return next();
    res.sendFile(file, { maxAge: '365d', immutable: true });
  });
  // The few unhashed files next to index.html (the icon); dotfiles such as the build's stamp stay private.
  const rootFiles = existsSync(WEB_DIST)
    ? readdirSync(WEB_DIST, { withFileTypes: true }).filter((entry) => entry.isFile() && !entry.name.startsWith('.') && entry.name !== 'index.html')
    : [];
  for (const { name } of rootFiles) {
    app.get(`/${name}`, (_req, res) => {
      res.setHeader('cache-control', 'no-cache');
      res.sendFile(path.join(WEB_DIST, name), { cacheControl: false });
    });
  }
  app.use((req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || isApiPath(req.path) || req.accepts(['json', 'html']) !== 'html') return next();
    if (!existsSync(index)) {
      res.status(503).type('text/plain').send('The web client is not built: run `npm run build`.\n');
      return;
    }
    res.setHeader('content-security-policy', webClientContentSecurityPolicy(req.get('host')));
    res.setHeader('cache-control', 'no-cache');
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'no-referrer');
    res.sendFile(index, { cacheControl: false });
  });
}
