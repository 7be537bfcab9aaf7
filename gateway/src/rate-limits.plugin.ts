import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import { rateLimitedError, type Admission } from '@ticketing/platform';
import type { Caller, GatewayLimits } from './rate-limits';

type CredentialField = 'logIn' | 'signUp';

/**
 * How many times each credential field runs in this operation: one per distinct response key at
 * the root, through fragments, so `a: logIn(…) b: logIn(…)` is two password checks (graphql-js
 * merges fields only when their response keys match).
 */
export function credentialFieldCounts(document: DocumentNode, operation: OperationDefinitionNode): Record<CredentialField, number> {
  const keys = { logIn: new Set<string>(), signUp: new Set<string>() };
  if (operation.operation === 'mutation') {
    const fragments = new Map(
      document.definitions.flatMap((d): Array<[string, FragmentDefinitionNode]> => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d]] : [])),
    );
    const visit = (set: SelectionSetNode, seen: ReadonlySet<string>) => {
      for (const selection of set.selections) {
        if (selection.kind === Kind.FIELD) {
          const name = selection.name.value;
          if (name === 'logIn' || name === 'signUp') keys[name].add(selection.alias?.value ?? name);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          visit(selection.selectionSet, seen);
        } else if (!seen.has(selection.name.value)) {
          const fragment = fragments.get(selection.name.value);
          if (fragment) visit(fragment.selectionSet, new Set(seen).add(selection.name.value));
        }
      }
    };
    visit(operation.selectionSet, new Set());
  }
  return { logIn: keys.logIn.size, signUp: keys.signUp.size };
}

function refuseUnlessAllowed(admission: Admission, message: string): void {
  if (!admission.allowed) throw rateLimitedError(admission.retryAfterSeconds, message);
}

/**
 * Every HTTP operation spends a token from the caller's buckets (user when signed in, and
 * address); `logIn`/`signUp` also count per address. Runs once the operation is resolved, the
 * hook where Apollo answers a thrown GraphQLError as the response (here 429 with Retry-After).
 */
export function rateLimitsPlugin<TContext extends { viewer: Caller['viewer']; clientIp?: string }>(limits: GatewayLimits): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, document, operation }) {
          if (contextValue.clientIp === undefined || !operation) return;
          const caller = { viewer: contextValue.viewer, ip: contextValue.clientIp };
          refuseUnlessAllowed(await limits.admitOperation(caller), 'Too many requests; slow down');
          const counts = credentialFieldCounts(document, operation);
          if (counts.logIn + counts.signUp === 0) return;
          refuseUnlessAllowed(await limits.admitCredentialFields(caller.ip, counts), 'Too many sign-in or sign-up attempts from this address');
        },
      };
    },
  };
}
