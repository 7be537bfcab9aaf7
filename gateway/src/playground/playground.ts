import path from 'node:path';
import type express from 'express';

const asset = (pkg: string, file: string) => path.join(path.dirname(require.resolve(`${pkg}/package.json`)), file);

/** Every file the page loads, served from node_modules: the playground works with no internet. */
const ASSETS: Record<string, { file: string; type: string }> = {
  'react.js': { file: asset('react', 'umd/react.production.min.js'), type: 'application/javascript' },
  'react-dom.js': { file: asset('react-dom', 'umd/react-dom.production.min.js'), type: 'application/javascript' },
  'graphiql.js': { file: asset('graphiql', 'graphiql.min.js'), type: 'application/javascript' },
  'graphiql.css': { file: asset('graphiql', 'graphiql.min.css'), type: 'text/css' },
};

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <title>Ticketing playground</title>
  <link rel="stylesheet" href="/playground/assets/graphiql.css" />
  <style>body { margin: 0; height: 100vh; } #graphiql { height: 100vh; }</style>
</head>
<body>
  <div id="graphiql">Loading the playground…</div>
  <script src="/playground/assets/react.js"></script>
  <script src="/playground/assets/react-dom.js"></script>
  <script src="/playground/assets/graphiql.js"></script>
  <script src="/playground/assets/playground-init.js"></script>
</body>
</html>`;

const DEFAULT_DOCUMENT = [
  '# 1. Run LogIn.  2. In Headers below put {"Authorization": "Bearer <token>"}.  3. Run the rest.',
  '',
  'mutation LogIn {',
  '  logIn(email: "admin@ticketing.local", password: "admin-password-change-me") { token user { id role } }',
  '}',
  '',
  'query Me {',
  '  me { id email role wallet { balance } }',
  '}',
  '',
  'query Concerts {',
  '  concerts(first: 5) { nodes { id title schedules { id startsAt bookingOpensAt availableSeatCount } } }',
  '}',
  '',
].join('\n');

// Headers start empty: a placeholder token would make the first logIn fail as UNAUTHENTICATED.
const INIT = `(() => {
  const fetcher = GraphiQL.createFetcher({ url: location.origin + '/graphql' });
  const root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(React.createElement(GraphiQL, {
    fetcher,
    headerEditorEnabled: true,
    shouldPersistHeaders: true,
    defaultHeaders: '{}',
    defaultQuery: ${JSON.stringify(DEFAULT_DOCUMENT)},
  }));
})();`;

/** A self-hosted GraphiQL at /playground (and for browsers opening /graphql). */
export function mountPlayground(app: express.Express): void {
  const sendPage = (_req: express.Request, res: express.Response) => {
    res.setHeader('content-security-policy', "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:");
    res.type('html').send(PAGE);
  };
  app.get('/playground', sendPage);
  app.get('/graphql', (req, res, next) => (req.accepts(['application/json', 'html']) === 'html' ? sendPage(req, res) : next()));
  app.get('/playground/assets/playground-init.js', (_req, res) => {
    res.type('application/javascript').send(INIT);
  });
  app.get('/playground/assets/:name', (req, res) => {
    const entry = ASSETS[req.params.name];
    if (!entry) {
      res.status(404).end();
      return;
    }
    res.type(entry.type).setHeader('cache-control', 'public, max-age=86400');
    res.sendFile(entry.file);
  });
}
