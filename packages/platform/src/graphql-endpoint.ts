import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext, type HTTPGraphQLRequest } from '@apollo/server';
import express from 'express';
import { answerError, refuseUnlessJsonPost } from './http-errors';
import { routeLabel, timeHttpRequest } from './http-metrics';
import type { Logger } from './logger';
import type { Metrics } from './metrics';
import { correlateRequest, runWithRequestContext } from './request-context';

export interface GraphqlEndpointOptions<TContext extends BaseContext> {
  apollo: ApolloServer<TContext>;
  /** `requestId` is the request's correlation id: the caller's `x-request-id`, or a fresh one. */
  context: (req: IncomingMessage, requestId: string) => Promise<TContext>;
  logger: Logger;
  metrics: Pick<Metrics, 'httpDuration'>;
  bodyLimit: string;
}

/** `/graphql` and `/graphql/` (Express's non-strict routing matched both), with or without a query string. */
export function isGraphqlPath(url: string | undefined): boolean {
  return routeLabel(url ?? '') === '/graphql';
}

/**
 * `/graphql` served by Node's HTTP server and Apollo's `executeHTTPGraphQLRequest`, as Apollo's own
 * standalone server does, instead of through Express. Express's per-request machinery (its
 * request and response prototypes, router, `res.send` with an ETag) doubled the server's CPU for a
 * small operation: 115 → 240 µs per request for `{ me { id } }` on a bare Apollo server (alternating
 * runs, same box), paid by every subgraph call and by the gateway (ADR 0012).
 *
 * `post` answers a POST as the Express chain did, in the same order and with the same answers:
 * the request's metrics and correlation id, 415 for a body that is not JSON, body-parser's JSON
 * with the same limit and the same JSON refusals (400, 413, 415), then Apollo, and a JSON 500 for
 * anything unexpected. Other methods stay in the Express app (the gateway's playground answers a
 * browser's GET there), which hands them to `execute` after its own metrics and correlation id.
 */
export function graphqlEndpoint<TContext extends BaseContext>(options: GraphqlEndpointOptions<TContext>) {
  const { apollo, logger, metrics, bodyLimit } = options;
  // body-parser's JSON parser, as Express re-exports it: a plain (req, res, next) function, no app.
  const parseJson = express.json({ limit: bodyLimit });

  /** The request to Apollo (which answers GET queries and refuses other methods itself), its answer to the response. */
  const execute = async (req: IncomingMessage & { body?: unknown }, res: ServerResponse, requestId: string): Promise<void> => {
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const url = req.url ?? '';
    const query = url.indexOf('?');
    const httpGraphQLRequest: HTTPGraphQLRequest = {
      method: (req.method ?? 'GET').toUpperCase(),
      headers,
      search: query === -1 ? '' : url.slice(query),
      body: req.body,
    };
    const response = await apollo.executeHTTPGraphQLRequest({ httpGraphQLRequest, context: () => options.context(req, requestId) });
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  };

  const post = (req: IncomingMessage & { body?: unknown }, res: ServerResponse): void => {
    timeHttpRequest(metrics, req, res);
    const correlationId = correlateRequest(req, res);
    runWithRequestContext({ correlationId }, () => {
      if (refuseUnlessJsonPost(req, res, logger)) return;
      const fail = (error: unknown) => answerError(error, req, res, logger, bodyLimit);
      parseJson(req, res, (error?: unknown) => {
        if (error) fail(error);
        else execute(req, res, correlationId).catch(fail);
      });
    });
  };

  return { post, execute };
}

/** A request `graphqlEndpoint.post` answers: a POST to `/graphql`. */
export const isGraphqlPost = (req: IncomingMessage): boolean => req.method === 'POST' && isGraphqlPath(req.url);
