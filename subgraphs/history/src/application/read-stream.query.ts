import { z } from 'zod';
import { AGGREGATE_TYPES, type AggregateType } from '@ticketing/contracts';
import { decodeCursor, type Page, type StoredEvent } from '@ticketing/event-store';

export const STREAM_PAGE_DEFAULT = 20;
export const STREAM_PAGE_MAX = 100;

export interface StreamPageRequest {
  streamType: string;
  streamId: string;
  first?: number | null;
  after?: string | null;
}

export type StreamPageResult = { kind: 'Page'; page: Page<StoredEvent> } | { kind: 'InvalidInput'; field: keyof StreamPageRequest; message: string };

const firstSchema = z.int().min(1).max(STREAM_PAGE_MAX);

/** One stream's events, a page at a time, straight from the store (admins; checked by the caller). */
export function readStreamEvents(store: { readStreamPage: (type: AggregateType, id: string, page: { first: number; after?: number | null }) => Promise<Page<StoredEvent>> }) {
  return async (request: StreamPageRequest): Promise<StreamPageResult> => {
    const streamType = z.enum(AGGREGATE_TYPES).safeParse(request.streamType);
    if (!streamType.success) return { kind: 'InvalidInput', field: 'streamType', message: `streamType must be one of ${AGGREGATE_TYPES.join(', ')}` };
    const first = firstSchema.safeParse(request.first ?? STREAM_PAGE_DEFAULT);
    if (!first.success) return { kind: 'InvalidInput', field: 'first', message: `first must be 1 to ${STREAM_PAGE_MAX}` };
    const after = request.after === undefined || request.after === null ? null : decodeCursor(request.after);
    if (request.after && after === null) return { kind: 'InvalidInput', field: 'after', message: 'after must be a previous page’s endCursor' };
    return { kind: 'Page', page: await store.readStreamPage(streamType.data, request.streamId, { first: first.data, after }) };
  };
}
