import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type express from 'express';
import { viewerFromAuthorization, type Viewer } from './auth';

/** What every subgraph resolver knows about the request. */
export interface RequestIdentity {
  requestId: string;
  /** Verified again here: a subgraph never trusts identity it cannot check itself. */
  viewer: Viewer | null;
}

export function identityFromRequest(req: express.Request, requestId: string, jwtSecret: string): RequestIdentity {
  return { requestId, viewer: viewerFromAuthorization(req.headers.authorization, jwtSecret) };
}

/**
 * Codegen's typed `Resolvers` and @apollo/subgraph's `GraphQLResolverMap` describe the same
 * object with incompatible index signatures; this is the single, deliberate cast between them.
 */
export function asSubgraphResolvers(resolvers: object): GraphQLResolverMap<unknown> {
  return resolvers as GraphQLResolverMap<unknown>;
}
