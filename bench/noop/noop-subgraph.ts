/**
 * The cheapest possible subgraph: one mutation that returns true. Through the real gateway it
 * measures what the GraphQL stack itself costs per request (the ceiling every scenario is read
 * against). Started by the benchmarks only.
 */
import http from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { configureRuntime, createLogger, createMetrics, graphqlEndpoint, isGraphqlPost } from '@ticketing/platform';
import { NOOP_SDL } from './noop-sdl';


async function main() {
  // The same runtime settings as every service, so the ceiling is measured like-for-like.
  configureRuntime();
  const port = Number(process.env['NOOP_PORT'] ?? 4099);
  const apollo = new ApolloServer({
    schema: buildSubgraphSchema({ typeDefs: parse(NOOP_SDL), resolvers: { Mutation: { noop: () => true } } }),
    plugins: [ApolloServerPluginInlineTraceDisabled(), ApolloServerPluginCacheControlDisabled()],
  });
  await apollo.start();
  // /graphql served the way every service serves it (platform's graphql-endpoint.ts), so the
  // ceiling's subgraph costs what a real subgraph's plumbing costs, minus the work.
  const graphql = graphqlEndpoint({
    apollo,
    context: async () => ({}),
    logger: createLogger('noop', 'warn'),
    metrics: createMetrics('noop'),
    bodyLimit: '100kb',
  });
  const server = http.createServer((req, res) => {
    if (isGraphqlPost(req)) graphql.post(req, res);
    else if (req.url === '/ready') res.end('ok');
    else {
      res.statusCode = 404;
      res.end();
    }
  });
  server.keepAliveTimeout = 65_000;
  server.listen(port, '127.0.0.1');
  process.on('SIGTERM', () => void apollo.stop().then(() => process.exit(0)));
}

if (require.main === module) void main();
