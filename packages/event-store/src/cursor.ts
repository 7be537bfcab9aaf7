import { z } from 'zod';

/**
 * Page cursors are positions (a global position, or a streamVersion within one stream) as
 * decimal strings: opaque enough for GraphQL, readable in logs, exact beyond 2^31.
 */
const cursorSchema = z.string().regex(/^(0|[1-9]\d{0,15})$/).transform(Number).pipe(z.int().min(0).max(Number.MAX_SAFE_INTEGER));

export const encodeCursor = (position: number): string => String(position);

/** The position a cursor names, or null when the string is not one of ours (a BAD_USER_INPUT). */
export function decodeCursor(cursor: string): number | null {
  const parsed = cursorSchema.safeParse(cursor);
  return parsed.success ? parsed.data : null;
}

export interface Page<T> {
  nodes: T[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** A page from `limit + 1` rows read: the extra row only says whether there is a next page. */
export function toPage<T>(rows: readonly T[], limit: number, positionOf: (row: T) => number): Page<T> {
  const nodes = rows.slice(0, limit);
  const last = nodes.at(-1);
  return { nodes, pageInfo: { hasNextPage: rows.length > limit, endCursor: last === undefined ? null : encodeCursor(positionOf(last)) } };
}
