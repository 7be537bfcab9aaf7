import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import {
  getNullableType,
  getVariableValues,
  GraphQLError,
  isListType,
  Kind,
  parse,
  specifiedRules,
  validate,
  visit,
  BREAK,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValidationContext,
  type ValidationRule,
  type ArgumentNode,
} from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import type { BaseConfig } from './config';

/** Every refusal below answers this code (HTTP 400); `extensions.limit` says which limit. */
const REFUSED = 'GRAPHQL_VALIDATION_FAILED';

export interface QueryLimitSettings {
  /** Deepest field nesting; introspection may go to INTROSPECTION_MAX_DEPTH. */
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  /** Tokens in one document: bounds parsing before anything else runs. */
  maxTokens: number;
  /** Fields once fragments are expanded (and literal `first`s applied): refuses fragment fan-out in linear time. */
  maxSelections: number;
  /** List-aware cost: roughly the number of objects and fields the answer may hold. */
  maxCost: number;
  /** Upper bound on `Schedule.seats`: what a seat map multiplies its selection by. */
  maxSeatsPerSchedule: number;
  /** What an unbounded list, or a page without `first`, counts as. */
  defaultListSize: number;
}

export function queryLimitsFromConfig(config: BaseConfig): QueryLimitSettings {
  return {
    maxDepth: config.MAX_QUERY_DEPTH,
    maxAliases: config.MAX_QUERY_ALIASES,
    maxDirectives: config.MAX_QUERY_DIRECTIVES,
    maxTokens: config.MAX_QUERY_TOKENS,
    maxSelections: config.MAX_QUERY_SELECTIONS,
    maxCost: config.MAX_QUERY_COST,
    maxSeatsPerSchedule: config.MAX_SEATS_PER_SCHEDULE,
    defaultListSize: config.QUERY_DEFAULT_LIST_SIZE,
  };
}

/** graphql-js's standard introspection query (GraphiQL's docs) is 15 levels deep. */
export const INTROSPECTION_MAX_DEPTH = 16;

const refused = (limit: string, message: string, details: Record<string, unknown> = {}) =>
  new GraphQLError(message, { extensions: { code: REFUSED, limit, ...details } });

/** Apollo answers an error thrown from a plugin hook with 500 unless it names its status. */
const asBadRequest = (error: GraphQLError) => new GraphQLError(error.message, { extensions: { ...error.extensions, http: { status: 400 } } });

/**
 * Document-only limits from graphql-armor, which memoizes fragments (linear in the document).
 * They report instead of throwing: an exception inside graphql's validate becomes a 500.
 */
export function queryLimitRules(limits: QueryLimitSettings): ValidationRule[] {
  const report = (limit: string) => ({
    propagateOnRejection: false,
    onReject: [
      (context: ValidationContext | null, error: GraphQLError) =>
        // armor prefixes every message with "Syntax Error: ", which these are not.
        context?.reportError(refused(limit, error.message.replace(/^Syntax Error: /, ''))),
    ],
  });
  const off = { enabled: false };
  const armor = new ApolloArmor({
    maxDepth: { n: limits.maxDepth, flattenFragments: true, ...report('depth') },
    maxAliases: { n: limits.maxAliases, ...report('aliases') },
    maxDirectives: { n: limits.maxDirectives, ...report('directives') },
    // Flat weights make armor's cost the expanded selection count, so the list-aware cost below never walks more.
    costLimit: {
      maxCost: limits.maxSelections,
      objectCost: 1,
      scalarCost: 1,
      depthCostFactor: 1,
      flattenFragments: true,
      ignoreIntrospection: false,
      ...report('selections'),
    },
    // Tokens: graphql-js's own parser limit (armor's plugin re-parses and answers 500 in Apollo 5).
    maxTokens: off,
    // Suggestions: graphql-js's hideSuggestions and the plugin below also cover variable errors.
    blockFieldSuggestion: off,
  });
  // `__schema` is exempt above; introspection gets the standard query's depth plus one, as GraphiQL needs.
  const introspection = new ApolloArmor({
    maxDepth: { n: Math.max(limits.maxDepth, INTROSPECTION_MAX_DEPTH), flattenFragments: true, ignoreIntrospection: false, ...report('depth') },
    maxAliases: off,
    maxDirectives: off,
    costLimit: off,
    maxTokens: off,
    blockFieldSuggestion: off,
  });
  return [...armor.protect().validationRules, ...introspection.protect().validationRules];
}

/** Each list multiplies the cost of what is selected under it by how many items it may hold. */
function listAwareEstimator(limits: QueryLimitSettings): ComplexityEstimator {
  const boundedLists: Record<string, number> = { 'Schedule.seats': limits.maxSeatsPerSchedule };
  return ({ type, field, args, childComplexity }) => {
    const page = args['first'] ?? args['limit'];
    let items = 1;
    if (typeof page === 'number') items = Math.max(page, 0);
    else if (field.args.some((a) => a.name === 'first' || a.name === 'limit')) items = limits.defaultListSize;
    else if (field.name === '_entities' && Array.isArray(args['representations'])) items = args['representations'].length;
    else if (isListType(getNullableType(field.type))) {
      // Answered from memory; graphql-js's MaxIntrospectionDepthRule already stops nested `fields { type { fields … } }`.
      if (type.name.startsWith('__')) items = 1;
      // A connection's page was counted at the field that took `first`.
      else if (type.name.endsWith('Connection')) items = 1;
      else items = boundedLists[`${type.name}.${field.name}`] ?? limits.defaultListSize;
    }
    return items * (1 + childComplexity);
  };
}

const NODE_LIMIT = /maximum allowed number of nodes/;

/**
 * The list-aware cost of one operation with its variables (graphql-query-complexity). Runs per
 * request, not in validation: Apollo caches a validated document, and `first: $n` differs per call.
 * Returns the refusal, or undefined when the operation may run (or its variables are invalid,
 * which execution refuses as BAD_USER_INPUT before any resolver runs).
 */
export function operationCostError(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
  limits: QueryLimitSettings,
): GraphQLError | undefined {
  const remembered = rememberedCosts(schema, limits, document, operation);
  const key = remembered.keyOf(variables ?? {});
  // Only results of variables that coerced are remembered, so a key seen before needs no
  // coercion again (it was 1–2% of the gateway's and booking's CPU per hold); execution still
  // coerces every request's variables and refuses the invalid ones.
  if (key !== null && remembered.results.has(key)) return remembered.results.get(key);
  const { errors } = getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {});
  if (errors?.length) return undefined;
  const result = computeCostError(schema, document, operation, variables, limits);
  if (key !== null) {
    remembered.results.set(key, result);
    if (remembered.results.size > REMEMBERED_COSTS) remembered.results.delete(remembered.results.keys().next().value!);
  }
  return result;
}

/** Costs remembered per operation: one per distinct page size or representation count, far fewer than this. */
const REMEMBERED_COSTS = 64;

interface RememberedCosts {
  /** What of the variables the cost depends on, as a key; null when that cannot be told (then nothing is remembered). */
  keyOf: (variables: Record<string, unknown>) => string | null;
  results: Map<string, GraphQLError | undefined>;
}

const costsBySchema = new WeakMap<GraphQLSchema, WeakMap<QueryLimitSettings, WeakMap<OperationDefinitionNode, RememberedCosts>>>();
const COST_ARGUMENTS = new Set(['first', 'limit', 'representations']);

/**
 * The cost of an operation depends on its variables only through `first`/`limit` (a page's
 * size), `representations` (how many entities) and `@include`/`@skip` (what is walked). Every
 * other variable (seat ids, tokens, names) leaves it unchanged, so it is computed once per
 * distinct value of those: a fan's holdSeats or a subgraph's entity fetch is walked once, not
 * on every request (it was 4–6% of booking's and the gateway's CPU per hold, issue 10).
 */
function rememberedCosts(schema: GraphQLSchema, limits: QueryLimitSettings, document: DocumentNode, operation: OperationDefinitionNode): RememberedCosts {
  let byLimits = costsBySchema.get(schema);
  if (!byLimits) costsBySchema.set(schema, (byLimits = new WeakMap()));
  let byOperation = byLimits.get(limits);
  if (!byOperation) byLimits.set(limits, (byOperation = new WeakMap()));
  let remembered = byOperation.get(operation);
  if (remembered) return remembered;
  const counted = new Set<string>();
  const sized = new Set<string>();
  let tellable = true;
  const note = (argument: ArgumentNode) => {
    if (argument.value.kind === Kind.VARIABLE) (argument.name.value === 'representations' ? sized : counted).add(argument.value.name.value);
    else
      visit(argument.value, {
        Variable() {
          tellable = false; // a variable inside a list or object literal: not worth telling apart
        },
      });
  };
  visit(document, {
    Field(node) {
      for (const argument of node.arguments ?? []) if (COST_ARGUMENTS.has(argument.name.value)) note(argument);
    },
    Directive(node) {
      for (const argument of node.arguments ?? []) note(argument);
    },
  });
  const names = [...counted].sort();
  const lengths = [...sized].sort();
  remembered = {
    keyOf: (variables) =>
      tellable
        ? JSON.stringify([
            names.map((name) => variables[name] ?? null),
            lengths.map((name) => (Array.isArray(variables[name]) ? (variables[name] as unknown[]).length : JSON.stringify(variables[name] ?? null))),
          ])
        : null,
    results: new Map(),
  };
  byOperation.set(operation, remembered);
  return remembered;
}

function computeCostError(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
  limits: QueryLimitSettings,
): GraphQLError | undefined {
  // Only the chosen operation: graphql-query-complexity would otherwise add up every operation.
  const query: DocumentNode = {
    kind: Kind.DOCUMENT,
    definitions: [operation, ...document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION)],
  };
  let cost: number;
  try {
    cost = getComplexity({
      schema,
      query,
      variables: variables ?? {},
      estimators: [listAwareEstimator(limits)],
      // Armor's selections rule already refused anything bigger; this keeps the walk bounded regardless.
      maxQueryNodes: limits.maxSelections + 1,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (NODE_LIMIT.test(message)) return refused('selections', `Query selects more than ${limits.maxSelections} fields`);
    return refused('cost', `Query cost could not be estimated: ${message}`);
  }
  if (cost <= limits.maxCost) return undefined;
  return refused('cost', `Query cost ${cost} exceeds the limit of ${limits.maxCost}`, { cost, maxCost: limits.maxCost });
}

const usesIntrospection = (document: DocumentNode) => {
  let found = false;
  visit(document, {
    Field(node) {
      if (node.name.value === '__schema' || node.name.value === '__type') {
        found = true;
        return BREAK;
      }
      return undefined;
    },
  });
  return found;
};

const introspectionRefused = () => refused('introspection', 'GraphQL introspection is not allowed here');

/** graphql-js's "Did you mean …?" tail, as Apollo's own DisableSuggestions plugin matches it. */
const SUGGESTION = / ?Did you mean(.+?)\?$/;

export interface QueryLimitsMode {
  /** Production hides field suggestions and refuses introspection (unless `canIntrospect` says yes). */
  production: boolean;
}

/**
 * The query limits every GraphQL server here applies, as Apollo Server options: document limits
 * in validation, the list-aware cost per request, and in production no suggestions and no
 * introspection except for whom `canIntrospect` allows (the gateway's admins and their playground).
 */
export function apolloQueryLimits<TContext extends BaseContext>(
  limits: QueryLimitSettings,
  mode: QueryLimitsMode,
  canIntrospect: (context: TContext) => boolean = () => false,
) {
  const plugin: ApolloServerPlugin<TContext> = {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request, contextValue }) {
          if (mode.production && usesIntrospection(document) && !canIntrospect(contextValue)) throw asBadRequest(introspectionRefused());
          // No operation to run: Apollo answers that itself.
          const error = operation && operationCostError(schema, document, operation, request.variables, limits);
          if (error) throw asBadRequest(error);
        },
        // Errors after validation (variable coercion, by graphql-js or @apollo/gateway) still suggest names.
        async didEncounterErrors({ errors }) {
          if (!mode.production) return;
          for (const error of errors) error.message = error.message.replace(SUGGESTION, '');
        },
      };
    },
  };
  return {
    validationRules: queryLimitRules(limits),
    parseOptions: { maxTokens: limits.maxTokens },
    validationOptions: { hideSuggestions: mode.production },
    // Decided per request by the plugin, which can see who asks.
    introspection: true,
    plugins: [plugin],
  };
}

/** The standard rules and the document limits, then no introspection in production: what a document alone decides. */
function documentErrors(schema: GraphQLSchema, document: DocumentNode, rules: readonly ValidationRule[], mode: QueryLimitsMode): GraphQLError[] {
  const errors = validate(schema, document, rules, { hideSuggestions: mode.production });
  if (errors.length > 0) return errors.map((e) => (e.extensions['code'] ? e : new GraphQLError(e.message, { extensions: { code: REFUSED } })));
  if (mode.production && usesIntrospection(document)) return [introspectionRefused()];
  return [];
}

/** The cost of the operation the request picks, with its variables. */
function costErrors(
  schema: GraphQLSchema,
  document: DocumentNode,
  request: { operationName?: string | null; variables?: Record<string, unknown> | null },
  limits: QueryLimitSettings,
): GraphQLError[] {
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode =>
      d.kind === Kind.OPERATION_DEFINITION && (!request.operationName || d.name?.value === request.operationName),
  );
  if (!operation) return [];
  const error = operationCostError(schema, document, operation, request.variables ?? undefined, limits);
  return error ? [error] : [];
}

/**
 * The same limits for a server that validates by itself (the gateway's WebSocket): the standard
 * rules, the document limits, then the cost of the chosen operation. Empty when it may run.
 */
export function checkOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  request: { operationName?: string | null; variables?: Record<string, unknown> | null },
  limits: QueryLimitSettings,
  mode: QueryLimitsMode,
): GraphQLError[] {
  const errors = documentErrors(schema, document, [...specifiedRules, ...queryLimitRules(limits)], mode);
  return errors.length > 0 ? errors : costErrors(schema, document, request, limits);
}

/** Documents remembered per schema by an operation checker: far more than any client set sends. */
const REMEMBERED_DOCUMENTS = 1_000;

export interface CheckedOperation {
  /** Absent when the text did not parse. */
  document?: DocumentNode;
  errors: GraphQLError[];
}

/**
 * checkOperation from the query text, for a server that sees the same few documents over and
 * over (every fan's app opens the same subscription): the parse and the document checks are
 * remembered per schema and text (least recently used go first), as Apollo Server does for HTTP;
 * only the cost, which depends on the variables, runs for every operation. Validating each
 * subscription afresh was a sixth of the gateway's CPU per subscription opened (issue 10).
 */
export function createOperationChecker(limits: QueryLimitSettings, mode: QueryLimitsMode) {
  const rules = [...specifiedRules, ...queryLimitRules(limits)];
  const bySchema = new WeakMap<GraphQLSchema, Map<string, CheckedOperation>>();

  const checkDocument = (schema: GraphQLSchema, query: string): CheckedOperation => {
    let document: DocumentNode;
    try {
      document = parse(query, { maxTokens: limits.maxTokens });
    } catch (error) {
      return { errors: [new GraphQLError((error as Error).message, { extensions: { code: 'GRAPHQL_PARSE_FAILED' } })] };
    }
    return { document, errors: documentErrors(schema, document, rules, mode) };
  };

  return (schema: GraphQLSchema, request: { query: string; operationName?: string | null; variables?: Record<string, unknown> | null }): CheckedOperation => {
    let known = bySchema.get(schema);
    if (!known) bySchema.set(schema, (known = new Map()));
    let checked = known.get(request.query);
    if (checked) known.delete(request.query);
    else checked = checkDocument(schema, request.query);
    known.set(request.query, checked);
    if (known.size > REMEMBERED_DOCUMENTS) known.delete(known.keys().next().value!);
    if (!checked.document || checked.errors.length > 0) return checked;
    return { document: checked.document, errors: costErrors(schema, checked.document, request, limits) };
  };
}
