import type { RequestIdentity } from '@ticketing/platform';

/** What the history subgraph's resolvers receive: the verified caller. */
export type Context = RequestIdentity;
