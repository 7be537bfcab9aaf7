import { GraphQLScalarType, valueFromASTUntyped } from 'graphql';

/** Output-only in practice (payloads): values go out as the store returned them, already JSON. */
export const jsonScalar = new GraphQLScalarType<unknown, unknown>({
  name: 'JSON',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (ast, variables) => valueFromASTUntyped(ast, variables),
});
