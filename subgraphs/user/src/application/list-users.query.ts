import { normalizeEmail, type User } from '../domain/user';
import type { UserCursor, UserStore } from './ports';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export type ListUsersResult =
  | { kind: 'Page'; nodes: User[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } }
  | { kind: 'InvalidPageSize'; min: number; max: number }
  | { kind: 'InvalidCursor' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Opaque to clients: base64url of `<createdAt ISO>|<id>` of the last account on the page. */
export function encodeCursor(cursor: UserCursor): string {
  return Buffer.from(`${cursor.createdAt.toISOString()}|${cursor.id}`).toString('base64url');
}

export function decodeCursor(value: string): UserCursor | null {
  if (value.length > 200) return null;
  const [createdAt, id, ...rest] = Buffer.from(value, 'base64url').toString('utf8').split('|');
  if (rest.length > 0 || !createdAt || !id || !ISO_INSTANT.test(createdAt) || !UUID.test(id)) return null;
  const date = new Date(createdAt);
  if (Number.isNaN(date.getTime()) || date.toISOString() !== createdAt) return null;
  return { createdAt: date, id };
}

/**
 * The admins' account list, oldest sign-up first, keyset-paginated. `search` matches one whole
 * e-mail address (any case) through the blind index: stored addresses are encrypted, so a part
 * of an address, a domain or a pattern matches nothing (ADR 0005). Blank means no filter.
 */
export function listUsers(deps: { users: UserStore }) {
  return async (query: { search?: string | null; first?: number | null; after?: string | null }): Promise<ListUsersResult> => {
    const first = query.first ?? DEFAULT_PAGE_SIZE;
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) return { kind: 'InvalidPageSize', min: 1, max: MAX_PAGE_SIZE };
    const after = query.after == null ? null : decodeCursor(query.after);
    if (query.after != null && !after) return { kind: 'InvalidCursor' };
    const search = query.search?.trim() ? normalizeEmail(query.search) : null;
    const { users, hasNextPage } = await deps.users.listPage({ email: search, first, after });
    const last = users.at(-1);
    return {
      kind: 'Page',
      nodes: users.map(({ createdAt: _order, ...user }) => user),
      pageInfo: { hasNextPage, endCursor: last ? encodeCursor(last) : null },
    };
  };
}
