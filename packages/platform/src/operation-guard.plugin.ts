import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { RequestErrorCode } from './errors';

const refuse = (code: RequestErrorCode, message: string) =>
  new GraphQLError(message, { extensions: { code, http: { status: 400 } } });

/**
 * Refuses, as a coded 400, an HTTP request whose operation cannot run: an `operationName` the
 * document does not define, several operations without a name to pick one, or a subscription
 * (served over graphql-ws only). Apollo checks none of this before execution when it runs as a
 * gateway: it hands the document to @apollo/gateway, whose executor throws an uncoded error
 * that became a 500 INTERNAL_SERVER_ERROR. Here it happens before execution on every port alike.
 */
export function operationGuardPlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, request }) {
          if (!operation) {
            throw refuse(
              RequestErrorCode.OPERATION_RESOLUTION_FAILURE,
              request.operationName
                ? `Unknown operation named "${request.operationName}".`
                : 'Must provide operation name if query contains multiple operations.',
            );
          }
          if (operation.operation === 'subscription') {
            throw refuse(RequestErrorCode.BAD_REQUEST, 'Subscriptions are served over WebSocket (graphql-ws protocol) at /graphql, not over HTTP.');
          }
        },
      };
    },
  };
}
