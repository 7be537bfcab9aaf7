import { isPageRejection, toConcertPage, validatePageRequest, type ConcertPage, type PageRejection } from '../domain/concert-page';
import type { CatalogStore } from './ports';

export type ListConcertsResult = ({ kind: 'ConcertPage' } & ConcertPage) | PageRejection;

export function listConcerts(deps: { store: Pick<CatalogStore, 'listConcerts'> }) {
  return async (args: { first?: number | null; after?: string | null }): Promise<ListConcertsResult> => {
    const request = validatePageRequest(args);
    if (isPageRejection(request)) return request;
    // One row more than asked for tells whether another page exists, without a count query.
    const rows = await deps.store.listConcerts(request.after, request.first + 1);
    return { kind: 'ConcertPage', ...toConcertPage(rows, request.first) };
  };
}
