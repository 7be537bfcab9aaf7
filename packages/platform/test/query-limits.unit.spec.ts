import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { getIntrospectionQuery, parse, type OperationDefinitionNode } from 'graphql';
import { apolloQueryLimits, baseConfigSchema, checkOperation, createOperationChecker, loadConfig, operationCostError, queryLimitsFromConfig, type QueryLimitSettings } from '../src';

const typeDefs = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  enum SeatStatus { AVAILABLE SOLD }
  type Node { id: ID! child: Node }
  type Seat @key(fields: "id") { id: ID! status: SeatStatus! schedule: Schedule! }
  type Schedule @key(fields: "id") { id: ID! seats(status: SeatStatus): [Seat!]! }
  type Query { node: Node schedule(id: ID!): Schedule seatsByStatus(status: SeatStatus!): [Seat!]! }
`);
const schema = buildSubgraphSchema({ typeDefs });
const defaults = queryLimitsFromConfig(loadConfig(baseConfigSchema, { NODE_ENV: 'test' }));
const small: QueryLimitSettings = { ...defaults, maxDepth: 3, maxAliases: 2 };
/** 100 seats of one item each fit under 1,000; 100 × 100 do not. */
const costly: QueryLimitSettings = { ...defaults, maxSeatsPerSchedule: 100, maxCost: 1000 };

const refusalsOf = (query: string, limits: QueryLimitSettings, variables: Record<string, unknown> = {}) =>
  checkOperation(schema, parse(query), { variables }, limits, { production: false }).map((e) => ({ code: e.extensions['code'], limit: e.extensions['limit'], message: e.message }));

describe('document limits (graphql-armor)', () => {
  it('given a query within depth and aliases, then it passes', () => {
    expect(refusalsOf('{ node { child { id } } }', small)).toEqual([]);
  });
  it('given a query one level too deep, then it is refused with a code', () => {
    expect(refusalsOf('{ node { child { child { id } } } }', small)).toEqual([
      { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'depth', message: 'Query depth limit of 3 exceeded, found 4.' },
    ]);
  });
  it('given depth hidden in fragments, then it is still counted', () => {
    expect(refusalsOf('{ node { ...A } } fragment A on Node { child { child { id } } }', small)).toMatchObject([{ limit: 'depth' }]);
  });
  it('given too many aliases, then it is refused', () => {
    expect(refusalsOf('{ a: node { id } b: node { id } c: node { id } }', small)).toMatchObject([{ limit: 'aliases' }]);
  });
  it('given the standard introspection query (GraphiQL docs), then it passes under the default limits', () => {
    const full = getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true, specifiedByUrl: true, schemaDescription: true, directiveIsRepeatable: true });
    expect(refusalsOf(full, defaults)).toEqual([]);
  });
  it('given recursive __type nesting, then it is refused', () => {
    let selection = 'name';
    for (let i = 0; i < 10; i += 1) selection = `fields { type { ${selection} } }`;
    expect(refusalsOf(`{ __type(name: "Query") { ${selection} } }`, defaults).map((r) => r.message)).toContain('Query depth limit of 12 exceeded, found 22.');
  });
  it('given __schema nested past the introspection allowance, then it is refused', () => {
    let selection = 'name';
    for (let i = 0; i < 14; i += 1) selection = `ofType { ${selection} }`;
    expect(refusalsOf(`{ __schema { types { fields { type { ${selection} } } } } }`, defaults)).toEqual([
      { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'depth', message: 'Query depth limit of 16 exceeded, found 19.' },
    ]);
  });
});

describe('list-aware cost (graphql-query-complexity)', () => {
  it('given a seat map within the bound on seats per schedule, then it passes', () => {
    expect(refusalsOf('{ schedule(id: "s") { id seats { id status } } }', costly)).toEqual([]);
  });
  it('given seats of the schedule of every seat, then the cost multiplies per level and it is refused', () => {
    expect(refusalsOf('{ schedule(id: "s") { seats { schedule { seats { id } } } } }', costly)).toMatchObject([
      { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'cost' },
    ]);
  });
  it('given entity representations, then the cost scales with how many were sent', () => {
    const entities = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Schedule { seats { id } } } }';
    const representations = (n: number) => Array.from({ length: n }, (_, i) => ({ __typename: 'Schedule', id: `s${i}` }));
    expect(refusalsOf(entities, costly, { r: representations(2) })).toEqual([]);
    expect(refusalsOf(entities, costly, { r: representations(20) })).toMatchObject([{ limit: 'cost' }]);
  });
  it('given invalid variables, then the cost leaves them to execution (BAD_USER_INPUT there)', () => {
    expect(refusalsOf('query($s: SeatStatus!) { seatsByStatus(status: $s) { id } }', costly, { s: 'NOPE' })).toEqual([]);
  });
});

describe('as Apollo Server options', () => {
  const serve = async (production: boolean, limits = costly) => {
    const options = apolloQueryLimits<{ admin: boolean }>(limits, { production }, (context) => context.admin);
    const server = new ApolloServer<{ admin: boolean }>({ schema, ...options, plugins: [ApolloServerPluginInlineTraceDisabled(), ...options.plugins] });
    await server.start();
    return {
      run: async (query: string, variables: Record<string, unknown> = {}, admin = false) => {
        const response = await server.executeOperation({ query, variables }, { contextValue: { admin } });
        const body = response.body.kind === 'single' ? response.body.singleResult : undefined;
        return { status: response.http.status ?? 200, errors: body?.errors?.map((e) => ({ code: e.extensions?.['code'], message: e.message })) ?? [] };
      },
      stop: () => server.stop(),
    };
  };

  it('given a query over the cost limit, then it is a 400 with a code, not a 500', async () => {
    const server = await serve(false);
    const answer = await server.run('{ schedule(id: "s") { seats { schedule { seats { id } } } } }');
    await server.stop();
    expect(answer.status).toBe(400);
    expect(answer.errors).toMatchObject([{ code: 'GRAPHQL_VALIDATION_FAILED' }]);
  });

  it('given a document with more tokens than allowed, then it is refused while parsing (400)', async () => {
    const server = await serve(false, { ...costly, maxTokens: 10 });
    const answer = await server.run('{ node { id child { id child { id } } } }');
    await server.stop();
    expect(answer).toMatchObject({ status: 400, errors: [{ code: 'GRAPHQL_PARSE_FAILED' }] });
  });

  it('given development, then suggestions and introspection stay on', async () => {
    const server = await serve(false);
    const misspelt = await server.run('{ nod { id } }');
    const introspection = await server.run('{ __schema { queryType { name } } }');
    await server.stop();
    expect(misspelt.errors[0]?.message).toMatch(/Did you mean "node"\?/);
    expect(introspection.errors).toEqual([]);
  });

  it('given production, then no error suggests a name: neither validation nor variables', async () => {
    const server = await serve(true);
    const misspelt = await server.run('{ nod { id } }');
    const badEnum = await server.run('query($s: SeatStatus!) { seatsByStatus(status: $s) { id } }', { s: 'AVAILABL' });
    await server.stop();
    expect(misspelt.errors).toMatchObject([{ code: 'GRAPHQL_VALIDATION_FAILED' }]);
    expect(badEnum.errors).toMatchObject([{ code: 'BAD_USER_INPUT' }]);
    expect([...misspelt.errors, ...badEnum.errors].map((e) => e.message).join(' ')).not.toMatch(/Did you mean|AVAILABLE|"node"/);
  });

  it('given production, then introspection is refused unless the context allows it; _service still answers', async () => {
    const server = await serve(true);
    const anonymous = await server.run('{ __schema { queryType { name } } }');
    const nested = await server.run('{ ...T } fragment T on Query { __type(name: "Node") { name } }');
    const admin = await server.run('{ __schema { queryType { name } } }', {}, true);
    const sdl = await server.run('{ _service { sdl } }');
    const typename = await server.run('{ __typename }');
    await server.stop();
    expect(anonymous).toMatchObject({ status: 400, errors: [{ code: 'GRAPHQL_VALIDATION_FAILED' }] });
    expect(nested.status).toBe(400);
    expect(admin.errors).toEqual([]);
    expect(sdl.errors).toEqual([]);
    expect(typename.errors).toEqual([]);
  });
});

describe('the operation checker (the gateway WebSocket’s)', () => {
  const entities = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Schedule { seats { id } } } }';
  const representations = (n: number) => Array.from({ length: n }, (_, i) => ({ __typename: 'Schedule', id: `s${i}` }));

  it('given the same text again, then the parsed and checked document is reused, and the cost is still decided by each call’s variables', () => {
    const check = createOperationChecker(costly, { production: false });

    const first = check(schema, { query: entities, variables: { r: representations(2) } });
    const second = check(schema, { query: entities, variables: { r: representations(20) } });

    expect(first.errors).toEqual([]);
    expect(second.document).toBe(first.document);
    expect(second.errors.map((e) => e.extensions['limit'])).toEqual(['cost']);
  });

  it('given a text that does not parse, then GRAPHQL_PARSE_FAILED, again when sent again', () => {
    const check = createOperationChecker(costly, { production: false });
    for (let i = 0; i < 2; i++) {
      const checked = check(schema, { query: '{ node { id ' });
      expect(checked.document).toBeUndefined();
      expect(checked.errors.map((e) => e.extensions['code'])).toEqual(['GRAPHQL_PARSE_FAILED']);
    }
  });

  it('given a new schema, then a remembered document is checked against it afresh', () => {
    const check = createOperationChecker(small, { production: false });
    const query = '{ node { child { id } } }';
    expect(check(schema, { query }).errors).toEqual([]);
    const without = buildSubgraphSchema({ typeDefs: parse('type Node { id: ID! } type Query { node: Node }') });
    expect(check(without, { query }).errors.map((e) => e.extensions['code'])).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });

  it('given more distinct texts than it remembers, then the least recently used is dropped and parsed again when it comes back', () => {
    const check = createOperationChecker(costly, { production: false });
    const kept = check(schema, { query: '{ node { id } }' }).document;
    for (let i = 0; i < 1_000; i++) check(schema, { query: `{ node { id } a${i}: node { id } }` });
    expect(check(schema, { query: '{ node { id } }' }).document).not.toBe(kept);
  });
});

describe('the cost, remembered per operation and the variables it depends on', () => {
  const checkWith = (document: ReturnType<typeof parse>, variables: Record<string, unknown>) =>
    checkOperation(schema, document, { variables }, costly, { production: false }).map((e) => e.extensions['limit']);

  it('given one document sent again with other representations, then each count is answered as if computed afresh', () => {
    const document = parse('query($r: [_Any!]!) { _entities(representations: $r) { ... on Schedule { seats { id } } } }');
    const representations = (n: number, tag: string) => Array.from({ length: n }, (_, i) => ({ __typename: 'Schedule', id: `${tag}${i}` }));
    const answers = [2, 20, 2, 9, 10, 20, 3].map((n) => checkWith(document, { r: representations(n, `t${n}`) }));
    // 100 seats × (1 + 1) per schedule: 1000 allows 5 schedules, not 9 or more.
    expect(answers).toEqual([[], ['cost'], [], ['cost'], ['cost'], ['cost'], []]);
  });

  it('given @include on a costly branch, then its variable decides, with the same document', () => {
    const document = parse('query($deep: Boolean!, $id: ID!) { schedule(id: $id) { id seats @include(if: $deep) { schedule { seats { id } } } } }');
    expect(checkWith(document, { deep: false, id: 'a' })).toEqual([]);
    expect(checkWith(document, { deep: true, id: 'b' })).toEqual(['cost']);
    expect(checkWith(document, { deep: false, id: 'c' })).toEqual([]);
  });

  /** The operation of `query`, and how often its variable definitions are read: coercing its variables reads them, a remembered cost does not. */
  function counted(query: string) {
    const parsed = parse(query);
    const counter = { reads: 0 };
    const operation = new Proxy(parsed.definitions[0] as OperationDefinitionNode, {
      get(target, property, receiver) {
        if (property === 'variableDefinitions') counter.reads++;
        return Reflect.get(target, property, receiver) as unknown;
      },
    });
    const document = { ...parsed, definitions: [operation] };
    const readsOf = (variables: Record<string, unknown>) => {
      counter.reads = 0;
      operationCostError(schema, document, operation, variables, costly);
      return counter.reads;
    };
    return readsOf;
  }

  it('given variables whose cost is remembered, then they are not coerced again', () => {
    const readsOf = counted('query($id: ID!, $other: ID) { schedule(id: $id) { seats { id } } node { id } }');

    expect(readsOf({ id: 'a' })).toBeGreaterThan(0);
    // The cost depends on none of these variables: each later call is the remembered one.
    expect(readsOf({ id: 'b', other: 'c' })).toBe(0);
    expect(readsOf({ id: 'd' })).toBe(0);
  });

  it('given a count never seen, or variables that did not coerce, then they are coerced, and only valid ones are remembered', () => {
    const readsOf = counted('query($r: [_Any!]!) { _entities(representations: $r) { ... on Schedule { id } } }');
    const representations = (n: number) => Array.from({ length: n }, (_, i) => ({ __typename: 'Schedule', id: `s${i}` }));
    expect(readsOf({ r: representations(2) })).toBeGreaterThan(0);

    expect(readsOf({ r: null })).toBeGreaterThan(0);
    expect(readsOf({ r: null })).toBeGreaterThan(0);
    expect(readsOf({ r: representations(3) })).toBeGreaterThan(0);
    expect(readsOf({ r: representations(3) })).toBe(0);
    expect(readsOf({ r: representations(2) })).toBe(0);
  });

  it('given a variable inside a list literal of representations, then nothing is remembered and each call is still right', () => {
    const document = parse('query($a: _Any!, $b: _Any!) { _entities(representations: [$a, $b]) { ... on Schedule { id } } }');
    const one = { __typename: 'Schedule', id: 's' };
    expect(checkWith(document, { a: one, b: one })).toEqual([]);
    expect(checkWith(document, { a: one, b: one })).toEqual([]);
  });
});
