import { keyset } from '@ticketing/platform';
import { normalizeEmail, type User } from '../domain/user';
import type { UserStore } from './ports';

export type ListUsersResult = keyset.PageResult<User>;

/**
 * The admins' account list, oldest sign-up first, keyset-paginated. `search` matches one whole
 * e-mail address (any case) through the blind index: stored addresses are encrypted, so a part
 * of an address, a domain or a pattern matches nothing (ADR 0005). Blank means no filter.
 */
export function listUsers(deps: { users: UserStore }) {
  return async (query: { search?: string | null; first?: number | null; after?: string | null }): Promise<ListUsersResult> => {
    const request = keyset.validatePageRequest(query);
    if (keyset.isPageRejection(request)) return request;
    const { first, after } = request;
    const search = query.search?.trim() ? normalizeEmail(query.search) : null;
    const { users, hasNextPage } = await deps.users.listPage({ email: search, first, after });
    const last = users.at(-1);
    return {
      kind: 'Page',
      nodes: users.map(({ createdAt: _order, ...user }) => user),
      pageInfo: { hasNextPage, endCursor: last ? keyset.encodeCursor(last) : null },
    };
  };
}
