import {
  Kind,
  print,
  visit,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLResolveInfo,
  type SelectionSetNode,
} from 'graphql';

/** What a source knows of its subscription document: the parts a re-fetch query reuses. */
export type SubscriptionDocument = Pick<GraphQLResolveInfo, 'fragments' | 'operation' | 'variableValues'>;

export interface RootSelection {
  /** The response key in the built query (omit for the field's own name). */
  alias?: string;
  /** A Query field that takes the id argument. */
  field: string;
  selectionSet: SelectionSetNode;
}

export interface SelectionQuery {
  text: string;
  /** Variables for one id: the subscriber's own variables the selection uses, plus the id. */
  variables(id: string): Record<string, unknown>;
}

const ID_VARIABLE = 'realtimeId';

/**
 * A query asking each root `field(<idArgument>: $id)` for a selection taken from a subscription
 * document. The fragments it spreads and the subscriber's variables it uses come along (no
 * others: unused ones fail validation), so the answer has the subscriber's shape, aliases and
 * `@include`s included, and each subgraph resolves its own fields with its own rules. The same
 * selection gives the same text, so the gateway's query-plan cache serves every subscriber.
 */
export function buildSelectionQuery(input: {
  operationName: string;
  idArgument: string;
  idType: string;
  roots: readonly RootSelection[];
  subscription: SubscriptionDocument;
}): SelectionQuery {
  const { subscription } = input;
  const fragments = fragmentsUsedBy(
    input.roots.map((root) => root.selectionSet),
    subscription.fragments,
  );
  const used = variablesUsedBy([...input.roots.map((root) => root.selectionSet), ...fragments]);
  let idVariable = ID_VARIABLE;
  for (let n = 2; used.has(idVariable); n++) idVariable = `${ID_VARIABLE}${n}`;

  const definitions = [
    ...(subscription.operation.variableDefinitions ?? []).filter((definition) => used.has(definition.variable.name.value)).map((d) => print(d)),
    `$${idVariable}: ${input.idType}`,
  ];
  const fields = input.roots.map((root) => {
    const key = root.alias && root.alias !== root.field ? `${root.alias}: ` : '';
    return `${key}${root.field}(${input.idArgument}: $${idVariable}) ${print(root.selectionSet)}`;
  });
  const text = [`query ${input.operationName}(${definitions.join(', ')}) { ${fields.join(' ')} }`, ...fragments.map((f) => print(f))].join('\n');

  // Already coerced by the subscription's execution; every scalar of the API schema coerces to itself.
  const own: Record<string, unknown> = {};
  for (const name of used) {
    if (subscription.variableValues[name] !== undefined) own[name] = subscription.variableValues[name];
  }
  return { text, variables: (id) => ({ ...own, [idVariable]: id }) };
}

/** Fragment definitions reachable from the selections, each once, in the order first spread. */
function fragmentsUsedBy(
  selections: readonly SelectionSetNode[],
  known: Record<string, FragmentDefinitionNode>,
): FragmentDefinitionNode[] {
  const found = new Map<string, FragmentDefinitionNode>();
  const pending = [...selections];
  for (let next = pending.shift(); next; next = pending.shift()) {
    visit(next, {
      FragmentSpread(spread) {
        const name = spread.name.value;
        const fragment = known[name];
        if (found.has(name) || !fragment) return;
        found.set(name, fragment);
        pending.push(fragment.selectionSet);
      },
    });
  }
  return [...found.values()];
}

function variablesUsedBy(nodes: ReadonlyArray<SelectionSetNode | FragmentDefinitionNode>): Set<string> {
  const names = new Set<string>();
  for (const node of nodes) visit(node, { Variable: (variable) => void names.add(variable.name.value) });
  return names;
}

/** One selection set out of several (every node of a field the subscriber selected more than once). */
export function mergeSelections(fieldNodes: readonly FieldNode[]): SelectionSetNode {
  return { kind: Kind.SELECTION_SET, selections: fieldNodes.flatMap((node) => node.selectionSet?.selections ?? []) };
}

/**
 * The fields of an object type's selection by response key, through inline fragments and
 * fragment spreads. Type conditions are not checked: on an object type every valid one matches.
 * `@skip`/`@include` are not evaluated either; execution still honours them.
 */
export function fieldsByResponseKey(
  selectionSet: SelectionSetNode,
  fragments: Record<string, FragmentDefinitionNode>,
): Map<string, FieldNode[]> {
  const fields = new Map<string, FieldNode[]>();
  const seenFragments = new Set<string>();
  const collect = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      switch (selection.kind) {
        case Kind.FIELD: {
          const key = selection.alias?.value ?? selection.name.value;
          fields.set(key, [...(fields.get(key) ?? []), selection]);
          break;
        }
        case Kind.INLINE_FRAGMENT:
          collect(selection.selectionSet);
          break;
        case Kind.FRAGMENT_SPREAD: {
          const fragment = fragments[selection.name.value];
          if (fragment && !seenFragments.has(fragment.name.value)) {
            seenFragments.add(fragment.name.value);
            collect(fragment.selectionSet);
          }
          break;
        }
      }
    }
  };
  collect(selectionSet);
  return fields;
}
