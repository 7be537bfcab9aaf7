import { keyset } from '@ticketing/platform';
import type { Concert } from '../domain/catalog';
import type { CatalogStore } from './ports';

export type ListConcertsResult = keyset.PageResult<Concert>;

/** The concert list, newest first, keyset-paginated by (createdAt, id). */
export function listConcerts(deps: { store: Pick<CatalogStore, 'listConcerts'> }) {
  return async (args: { first?: number | null; after?: string | null }): Promise<ListConcertsResult> => {
    const request = keyset.validatePageRequest(args);
    if (keyset.isPageRejection(request)) return request;
    // One row more than asked for tells whether another page exists, without a count query.
    const rows = await deps.store.listConcerts(request.after, request.first + 1);
    return { kind: 'Page', ...keyset.toKeysetPage(rows, request.first) };
  };
}
