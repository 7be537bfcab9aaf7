import { buildSchema, parse, validate } from 'graphql';
import { queryLimitsRule } from '../src/query-limits';

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
