import { LRUCache } from 'lru-cache';
import { clientError, ErrorCode, type Logger, type Viewer } from '@ticketing/platform';

/** Whether the signed-in account behind a verified token still stands as the token says. */
export type AccountCheck = (viewer: Viewer, authorization: string) => Promise<boolean>;

/**
 * A valid signature proves who issued a token, not that its account exists: a token for a user
 * that never existed or was removed, or whose role changed since, is refused here. The user
 * subgraph is the authority (`me` read with the caller's own token); each answer is cached per
 * account for `ttlMs`, so a fan's requests cost one lookup a minute, not one each.
 *
 * If the user subgraph cannot answer, the last known answer is used, and with none the signature
 * alone decides (fail open): the secrets are random and private, and an outage of one subgraph
 * must not sign every fan out in the middle of an on-sale.
 */
export function createAccountCheck(options: { userUrl: string; ttlMs: number; maxEntries: number; logger: Logger }): AccountCheck {
  const cache = new LRUCache<string, { exists: boolean; role: string | null }, string>({
    max: options.maxEntries,
    ttl: options.ttlMs,
    allowStaleOnFetchRejection: true,
    fetchMethod: async (_userId, _stale, { context: authorization }) => {
      const response = await fetch(options.userUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization },
        body: JSON.stringify({ query: '{ me { id role } }' }),
        signal: AbortSignal.timeout(2_000),
      });
      const body = (await response.json()) as { data?: { me: { role: string } | null } | null; errors?: unknown[] };
      if (!body.data || body.errors?.length) throw new Error(`user subgraph answered ${response.status}`);
      return { exists: body.data.me !== null, role: body.data.me?.role ?? null };
    },
  });
  return async (viewer, authorization) => {
    try {
      const account = await cache.fetch(viewer.userId, { context: authorization });
      return account ? account.exists && account.role === viewer.role : true;
    } catch (error) {
      options.logger.warn({ err: error, userId: viewer.userId }, 'account check unavailable; the token signature decides');
      return true;
    }
  };
}

/** What a caller with such a token hears: sign in again (401, like any token that does not verify). */
export const staleAccountError = () =>
  clientError(ErrorCode.UNAUTHENTICATED, 'This token no longer matches an account; sign in again', { http: { status: 401 } });
