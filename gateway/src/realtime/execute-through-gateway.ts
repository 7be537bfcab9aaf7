import type { ApolloServer } from '@apollo/server';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { RealtimeContext } from './subscription-server';

export type ExecuteThroughGateway = <T>(
  query: string,
  variables: Record<string, unknown>,
  context: RealtimeContext,
) => Promise<{ data?: T | null; errors?: readonly GraphQLFormattedError[] }>;

/**
 * Runs an operation through the gateway's own pipeline (planning, federation, the subgraphs'
 * authorization) as the subscriber: how a subscription gets fields other subgraphs own.
 */
export function executeThroughGateway(apollo: ApolloServer<RealtimeContext>): ExecuteThroughGateway {
  return async <T>(query: string, variables: Record<string, unknown>, context: RealtimeContext) => {
    const response = await apollo.executeOperation({ query, variables }, { contextValue: context });
    if (response.body.kind !== 'single') throw new Error('Incremental delivery is not used here');
    const { data, errors } = response.body.singleResult;
    return { data: (data ?? null) as T | null, ...(errors ? { errors } : {}) };
  };
}

/**
 * An answer's data, or its first error thrown as the subscription's error with the code and
 * message the subgraph gave (masking happens where every subscription error passes).
 */
export function dataOrThrow<T>(result: { data?: T | null; errors?: readonly GraphQLFormattedError[] }): T | null {
  const failure = result.errors?.[0];
  if (failure) throw new GraphQLError(failure.message, { extensions: failure.extensions ?? {} });
  return result.data ?? null;
}
