import { GraphQLError, Kind, type ASTVisitor, type SelectionSetNode, type ValidationContext } from 'graphql';

/**
 * graphql-js's standard introspection query (what GraphiQL sends for docs and autocomplete) is
 * 15 levels deep; introspection gets this fixed allowance so the playground works, while
 * recursive `__type { fields { type { fields … } } }` abuse is still refused.
 */
export const INTROSPECTION_MAX_DEPTH = 16;

/**
 * Refuses documents that are too deep or use too many aliases before the gateway plans them:
 * a cheap guard against query-shaped denial of service (OWASP API4).
 */
export function queryLimitsRule(maxDepth: number, maxAliases: number) {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map(
      context.getDocument().definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d]] : [])),
    );
    const measure = (set: SelectionSetNode, depth: number, seen: Set<string>): { depth: number; aliases: number } => {
      let deepest = depth;
      let aliases = 0;
      for (const selection of set.selections) {
        let child: SelectionSetNode | undefined;
        let childDepth = depth;
        if (selection.kind === Kind.FIELD) {
          if (selection.alias) aliases += 1;
          child = selection.selectionSet;
          childDepth = depth + 1;
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          child = selection.selectionSet;
        } else {
          const name = selection.name.value;
          if (seen.has(name)) continue;
          child = fragments.get(name)?.selectionSet;
          seen = new Set(seen).add(name);
        }
        if (child) {
          const nested = measure(child, childDepth, seen);
          deepest = Math.max(deepest, nested.depth);
          aliases += nested.aliases;
        } else {
          deepest = Math.max(deepest, childDepth);
        }
      }
      return { depth: deepest, aliases };
    };
    return {
      OperationDefinition(node) {
        let aliases = 0;
        let depth = 0;
        let limit = maxDepth;
        for (const selection of node.selectionSet.selections) {
          const measured = measure({ kind: Kind.SELECTION_SET, selections: [selection] }, 0, new Set());
          aliases += measured.aliases;
          const introspection = selection.kind === Kind.FIELD && selection.name.value.startsWith('__');
          const allowed = introspection ? Math.max(maxDepth, INTROSPECTION_MAX_DEPTH) : maxDepth;
          if (measured.depth - allowed > depth - limit) {
            depth = measured.depth;
            limit = allowed;
          }
        }
        if (depth > limit) {
          context.reportError(
            new GraphQLError(`Query depth ${depth} exceeds the limit of ${limit}`, {
              nodes: [node],
            }),
          );
        }
        if (aliases > maxAliases) {
          context.reportError(
            new GraphQLError(`Query uses ${aliases} aliases; the limit is ${maxAliases}`, {
              nodes: [node],
            }),
          );
        }
      },
    };
  };
}
