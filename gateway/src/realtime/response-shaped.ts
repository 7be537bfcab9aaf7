import { defaultFieldResolver, type GraphQLFieldResolver } from 'graphql';

const shaped = new WeakSet<object>();

/**
 * Marks data that already has the subscriber's shape: an answer fetched through the gateway with
 * the subscription's own selection, keyed by response keys (aliases included). graphql-js executes
 * the subscription's selection over every payload again and its default resolver reads
 * `source[fieldName]`, which loses aliased fields (`a: seats(status: SOLD)`, `b: seats`); these
 * objects are read by response key instead. Marks every object inside, as the answer is nested.
 */
export function markResponseShaped<T>(value: T): T {
  if (Array.isArray(value)) {
    for (const item of value) markResponseShaped(item);
  } else if (typeof value === 'object' && value !== null && !shaped.has(value)) {
    shaped.add(value);
    for (const field of Object.values(value)) markResponseShaped(field);
  }
  return value;
}

/**
 * The subscriptions' field resolver: response key for marked objects, graphql-js's default for
 * everything else (payloads built field by field, such as the queue ticket).
 */
export const responseKeyAwareFieldResolver: GraphQLFieldResolver<unknown, unknown> = (source, args, context, info) => {
  if (typeof source === 'object' && source !== null && shaped.has(source)) {
    return (source as Record<string, unknown>)[String(info.path.key)];
  }
  return defaultFieldResolver(source, args, context, info);
};
