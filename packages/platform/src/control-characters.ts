import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, visit, type DocumentNode } from 'graphql';
import { clientError, ErrorCode } from './errors';

/**
 * Unicode control characters (C0, DEL, C1): nothing a person types into a name, an e-mail or a
 * reason, and the raw material of log forging, header injection and look-alike identities.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** The first string in a variables value (nested objects and lists included) holding a control character. */
function controlIn(value: unknown, path: string): string | null {
  if (typeof value === 'string') return CONTROL.test(value) ? path : null;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = controlIn(item, `${path}[${i}]`);
      if (found) return found;
    }
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = controlIn(item, `${path}.${key}`);
      if (found) return found;
    }
  }
  return null;
}

/**
 * Whether a document's literals were found to hold a control character, by document: Apollo
 * hands every request of one text the same parsed document, and walking it on every request was
 * 2–4% of the gateway's and booking's CPU per hold (issue 10).
 */
const literalsChecked = new WeakMap<DocumentNode, boolean>();

function controlInLiterals(document: DocumentNode): boolean {
  const known = literalsChecked.get(document);
  if (known !== undefined) return known;
  let found = false;
  visit(document, {
    [Kind.STRING](node) {
      if (CONTROL.test(node.value)) found = true;
    },
  });
  literalsChecked.set(document, found);
  return found;
}

/**
 * Refuses every operation whose string input (a variable or an inline literal) holds a control
 * character, with BAD_USER_INPUT, before anything runs: one rule for every port, so no resolver
 * has to remember it.
 */
export function refuseControlCharacters(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document }) {
          const variable = controlIn(request.variables ?? {}, '$');
          if (variable || controlInLiterals(document)) {
            throw clientError(ErrorCode.BAD_USER_INPUT, 'Text inputs must not contain control characters', {
              ...(variable ? { field: variable.replace(/^\$\.?/, '') } : {}),
              http: { status: 400 },
            });
          }
        },
      };
    },
  };
}
