import { buildSchema, getIntrospectionQuery, parse, validate } from 'graphql';
import { INTROSPECTION_MAX_DEPTH, queryLimitsRule } from '../src/query-limits';

const schema = buildSchema('type Node { id: ID! child: Node } type Query { node: Node }');
const errorsOf = (query: string) => validate(schema, parse(query), [queryLimitsRule(3, 2)]).map((e) => e.message);

describe('query limits', () => {
  it('given a query within depth and aliases, then it passes', () => {
    expect(errorsOf('{ node { child { id } } }')).toEqual([]);
  });
  it('given a query one level too deep, then it is refused', () => {
    expect(errorsOf('{ node { child { child { id } } } }')).toEqual(['Query depth 4 exceeds the limit of 3']);
  });
  it('given depth hidden in fragments, then it is still counted', () => {
    expect(errorsOf('{ node { ...A } } fragment A on Node { child { child { id } } }')).toHaveLength(1);
  });
  it('given too many aliases, then it is refused', () => {
    expect(errorsOf('{ a: node { id } b: node { id } c: node { id } }')).toEqual(['Query uses 3 aliases; the limit is 2']);
  });
});

describe('introspection', () => {
  const full = getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true, specifiedByUrl: true, schemaDescription: true, directiveIsRepeatable: true });
  const limitsOf = (query: string) => validate(schema, parse(query), [queryLimitsRule(12, 30)]).map((e) => e.message);

  it('given the standard introspection query (GraphiQL docs), then it passes under a depth limit of 12', () => {
    expect(limitsOf(full)).toEqual([]);
  });

  it('given recursive __type nesting beyond the introspection allowance, then it is refused', () => {
    let selection = 'name';
    for (let i = 0; i < 10; i += 1) selection = `fields { type { ${selection} } }`;
    expect(limitsOf(`{ __type(name: "Query") { ${selection} } }`)).toEqual([`Query depth 22 exceeds the limit of ${INTROSPECTION_MAX_DEPTH}`]);
  });
});
