import { clientError, ErrorCode } from './errors';

/**
 * Keyset pagination by (createdAt, id), the one way lists page here (concerts, a fan's bookings,
 * the admins' user list): stable while rows are added, unlike an offset. A cursor is the opaque
 * position of the last row seen.
 */
export interface KeysetCursor {
  createdAt: Date;
  id: string;
}

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
/** Longer than any cursor we issue; refuses megabyte "cursors" before decoding them. */
const MAX_CURSOR_LENGTH = 128;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SEPARATOR = '|';

export interface PageRequest {
  first: number;
  after: KeysetCursor | null;
}

export type PageRejection = { kind: 'InvalidPageSize'; min: 1; max: typeof MAX_PAGE_SIZE } | { kind: 'InvalidCursor' };

export interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

export function encodeCursor(position: KeysetCursor): string {
  return Buffer.from(`${position.createdAt.toISOString()}${SEPARATOR}${position.id}`, 'utf8').toString('base64url');
}

/** Accepts only cursors this module could have issued (the id in PostgreSQL's lower case); anything else is null. */
export function decodeCursor(cursor: string): KeysetCursor | null {
  if (cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH || !BASE64URL.test(cursor)) return null;
  const decoded = Buffer.from(cursor, 'base64url');
  // Node's decoder is lenient (ignores trailing bits); only the canonical encoding is ours.
  if (decoded.toString('base64url') !== cursor) return null;
  const [iso, id, ...rest] = decoded.toString('utf8').split(SEPARATOR);
  if (iso === undefined || id === undefined || rest.length > 0 || !UUID.test(id)) return null;
  const createdAt = new Date(iso);
  // Rejects impossible dates that parse (e.g. 30 February) and non-canonical spellings.
  if (Number.isNaN(createdAt.getTime()) || createdAt.toISOString() !== iso) return null;
  return { createdAt, id: id.toLowerCase() };
}

/** `first` is 1..100 (20 when omitted); `after` must be a cursor we issued. */
export function validatePageRequest(args: { first?: number | null; after?: string | null }): PageRequest | PageRejection {
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) return { kind: 'InvalidPageSize', min: 1, max: MAX_PAGE_SIZE };
  if (args.after === undefined || args.after === null) return { first, after: null };
  const after = decodeCursor(args.after);
  return after ? { first, after } : { kind: 'InvalidCursor' };
}

export const isPageRejection = (value: PageRequest | PageRejection): value is PageRejection => 'kind' in value;

/** Up to `first + 1` rows in page order into a page: the extra row only proves another page exists. */
export function toKeysetPage<T extends KeysetCursor>(rows: readonly T[], first: number): { nodes: T[]; pageInfo: PageInfo } {
  const nodes = rows.slice(0, first);
  const last = nodes.at(-1);
  return { nodes, pageInfo: { hasNextPage: rows.length > first, endCursor: last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null } };
}

/** A listing's outcome: its page, or why the request was refused. */
export type PageResult<T> = { kind: 'Page'; nodes: T[]; pageInfo: PageInfo } | PageRejection;

/** The one mapping of a listing's outcome to a GraphQL connection or a BAD_USER_INPUT naming the argument. */
export function connectionOrThrow<T>(result: PageResult<T>): { nodes: T[]; pageInfo: PageInfo } {
  switch (result.kind) {
    case 'Page':
      return { nodes: result.nodes, pageInfo: result.pageInfo };
    case 'InvalidPageSize':
      throw clientError(ErrorCode.BAD_USER_INPUT, `first must be between ${result.min} and ${result.max}`, { field: 'first' });
    case 'InvalidCursor':
      throw clientError(ErrorCode.BAD_USER_INPUT, 'after is not a cursor from this list', { field: 'after' });
  }
}
