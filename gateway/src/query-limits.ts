import { GraphQLError, Kind, type ASTVisitor, type SelectionSetNode, type ValidationContext } from 'graphql';

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
        const { depth, aliases } = measure(node.selectionSet, 0, new Set());
        if (depth > maxDepth) {
          context.reportError(
            new GraphQLError(`Query depth ${depth} exceeds the limit of ${maxDepth}`, {
              nodes: [node],
              extensions: { code: 'BAD_USER_INPUT' },
            }),
          );
        }
        if (aliases > maxAliases) {
          context.reportError(
            new GraphQLError(`Query uses ${aliases} aliases; the limit is ${maxAliases}`, {
              nodes: [node],
              extensions: { code: 'BAD_USER_INPUT' },
            }),
          );
        }
      },
    };
  };
}
