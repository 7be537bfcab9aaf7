import { defineConfig } from 'vite';

/**
 * Production: `vite build` (run by scripts/build.ts, hence by `npm start`) writes dist/, which the
 * gateway serves at / (gateway/src/web-client.ts). Development: `npm run dev -w web` serves the
 * sources with the gateway's /graphql proxied, WebSocket included, so the app talks to one origin
 * in both cases.
 */
export default defineConfig({
  root: import.meta.dirname,
  // No React plugin: Vite's own transform compiles JSX; Fast Refresh is all it would add.
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Everything from our own origin (the CSP allows only 'self'); fonts and icons stay files.
    assetsInlineLimit: 0,
  },
  server: {
    host: '127.0.0.1',
    port: Number(process.env['WEB_DEV_PORT'] ?? 5173),
    strictPort: true,
    proxy: { '/graphql': { target: process.env['GATEWAY_URL'] ?? 'http://127.0.0.1:4000', ws: true, changeOrigin: true } },
  },
});
