/**
 * Keyset pagination of the concert list, newest first. A cursor is the opaque position of
 * the last concert seen, (createdAt, id): stable while concerts are added, unlike an offset.
 */
import { canonicalId, isCatalogId, type Concert } from './catalog';

export interface ConcertCursor {
  createdAt: Date;
  id: string;
}

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
/** Longer than any cursor we issue; refuses megabyte "cursors" before decoding them. */
const MAX_CURSOR_LENGTH = 128;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const SEPARATOR = '|';

export interface PageRequest {
  first: number;
  after: ConcertCursor | null;
}

export type PageRejection =
  | { kind: 'InvalidPageSize'; min: 1; max: typeof MAX_PAGE_SIZE }
  | { kind: 'InvalidCursor' };

export interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

export interface ConcertPage {
  nodes: Concert[];
  pageInfo: PageInfo;
}

export function encodeCursor(position: ConcertCursor): string {
  return Buffer.from(`${position.createdAt.toISOString()}${SEPARATOR}${position.id}`, 'utf8').toString('base64url');
}

/** Accepts only cursors this module could have issued; anything else is null. */
export function decodeCursor(cursor: string): ConcertCursor | null {
  if (cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH || !BASE64URL.test(cursor)) return null;
  const decoded = Buffer.from(cursor, 'base64url');
  // Node's decoder is lenient (ignores trailing bits); only the canonical encoding is ours.
  if (decoded.toString('base64url') !== cursor) return null;
  const [iso, id, ...rest] = decoded.toString('utf8').split(SEPARATOR);
  if (iso === undefined || id === undefined || rest.length > 0 || !isCatalogId(id)) return null;
  const createdAt = new Date(iso);
  if (Number.isNaN(createdAt.getTime()) || createdAt.toISOString() !== iso) return null;
  return { createdAt, id: canonicalId(id) };
}

/** `first` is 1..100 (20 when omitted); `after` must be a cursor we issued. */
export function validatePageRequest(args: { first?: number | null; after?: string | null }): PageRequest | PageRejection {
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    return { kind: 'InvalidPageSize', min: 1, max: MAX_PAGE_SIZE };
  }
  if (args.after === undefined || args.after === null) return { first, after: null };
  const after = decodeCursor(args.after);
  return after ? { first, after } : { kind: 'InvalidCursor' };
}

export function isPageRejection(value: PageRequest | PageRejection): value is PageRejection {
  return 'kind' in value;
}

/**
 * Turns up to `first + 1` rows, fetched in page order, into a page: the extra row only
 * proves that another page exists and is never returned.
 */
export function toConcertPage(rows: readonly Concert[], first: number): ConcertPage {
  const nodes = rows.slice(0, first);
  const last = nodes[nodes.length - 1];
  return {
    nodes,
    pageInfo: {
      hasNextPage: rows.length > first,
      endCursor: last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null,
    },
  };
}
