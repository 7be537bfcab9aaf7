/**
 * The cheapest possible subgraph: one mutation that returns true. Through the real gateway it
 * measures what the GraphQL stack itself costs per request (the ceiling every scenario is read
 * against). Started by the benchmarks only.
 */
import http from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { buildSubgraphSchema } from '@apollo/subgraph';
import express from 'express';
import { parse } from 'graphql';
import { configureRuntime } from '@ticketing/platform';
import { NOOP_SDL } from './noop-sdl';


async function main() {
  // The same runtime settings as every service, so the ceiling is measured like-for-like.
  configureRuntime();
  const port = Number(process.env['NOOP_PORT'] ?? 4099);
  const apollo = new ApolloServer({
    schema: buildSubgraphSchema({ typeDefs: parse(NOOP_SDL), resolvers: { Mutation: { noop: () => true } } }),
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  await apollo.start();
  const app = express();
  app.use('/graphql', express.json(), expressMiddleware(apollo));
  app.get('/ready', (_req, res) => void res.send('ok'));
  const server = http.createServer(app);
  server.keepAliveTimeout = 65_000;
  server.listen(port, '127.0.0.1');
  process.on('SIGTERM', () => void apollo.stop().then(() => process.exit(0)));
}

if (require.main === module) void main();
