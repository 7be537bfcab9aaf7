import { LRUCache } from 'lru-cache';
import { accountLockedError, clientError, ErrorCode, serviceFetch, type AccountLocks, type Logger, type Viewer } from '@ticketing/platform';

/** Whether the signed-in account behind a verified token still stands as the token says. */
export type AccountCheck = (viewer: Viewer, authorization: string) => Promise<boolean>;

/** `stale`: no such account, or another role than the token's; `locked`: an admin locked it. */
export type AccountVerdict = 'current' | 'stale' | 'locked';

interface Known {
  exists: boolean;
  role: string | null;
  locked: boolean;
}

/**
 * A valid signature proves who issued a token, not that its account exists: a token for a user
 * that never existed or was removed, or whose role changed since, is refused here. The user
 * subgraph is the authority (`me` read with the caller's own token); each answer is cached per
 * account for `ttlMs`, so a fan's requests cost one lookup a minute, not one each. A lock or a
 * role change does not wait for the TTL: the user subgraph announces it (`locks`), the locked
 * account is refused from memory and the account's cached answer is forgotten.
 *
 * If the user subgraph cannot answer, the last known answer is used, and with none the signature
 * alone decides (fail open): the secrets are random and private, and an outage of one subgraph
 * must not sign every fan out in the middle of an on-sale.
 */
export function createAccountCheck(options: { userUrl: string; ttlMs: number; maxEntries: number; logger: Logger; locks?: AccountLocks }) {
  const cache = new LRUCache<string, Known, string>({
    max: options.maxEntries,
    ttl: options.ttlMs,
    allowStaleOnFetchRejection: true,
    fetchMethod: async (_userId, _stale, { context: authorization }) => {
      const response = await serviceFetch(options.userUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization },
        body: JSON.stringify({ query: '{ me { id role locked } }' }),
        timeoutMs: 2_000,
      });
      const body = (await response.json()) as {
        data?: { me: { role: string; locked: boolean } | null } | null;
        errors?: Array<{ extensions?: { code?: unknown } }>;
      };
      // The user subgraph's own fence may know of the lock first and refuse the token outright.
      if (body.errors?.some((error) => error.extensions?.code === ErrorCode.ACCOUNT_LOCKED)) return { exists: true, role: null, locked: true };
      if (!body.data || body.errors?.length) throw new Error(`user subgraph answered ${response.status}`);
      return { exists: body.data.me !== null, role: body.data.me?.role ?? null, locked: body.data.me?.locked ?? false };
    },
  });
  options.locks?.onChange((standing) => cache.delete(standing.userId));

  const verdict = async (viewer: Viewer, authorization: string): Promise<AccountVerdict> => {
    if (options.locks?.isLocked(viewer.userId)) return 'locked';
    try {
      const account = await cache.fetch(viewer.userId, { context: authorization });
      if (!account) return 'current';
      if (account.locked) {
        // Locks reach every process by the same announcement: a user subgraph that answered
        // "locked" after this gateway heard the unlock had not heard it yet. Refused this once,
        // not remembered for the whole TTL (a full CI run saw a fan stay refused after an unlock).
        if (options.locks && !options.locks.isLocked(viewer.userId)) cache.delete(viewer.userId);
        return 'locked';
      }
      return account.exists && account.role === viewer.role ? 'current' : 'stale';
    } catch (error) {
      options.logger.warn({ err: error, userId: viewer.userId }, 'account check unavailable; the token signature decides');
      return 'current';
    }
  };
  const isCurrent: AccountCheck = async (viewer, authorization) => (await verdict(viewer, authorization)) === 'current';
  return {
    verdict,
    /** For WebSocket connections: anything but current closes with 4403. */
    isCurrent,
    /** For HTTP: throws the refusal a request with this token gets, if any. */
    async refuseUnlessCurrent(viewer: Viewer, authorization: string): Promise<void> {
      const found = await verdict(viewer, authorization);
      if (found === 'locked') throw accountLockedError();
      if (found === 'stale') throw staleAccountError();
    },
  };
}

/** What a caller with such a token hears: sign in again (401, like any token that does not verify). */
export const staleAccountError = () =>
  clientError(ErrorCode.UNAUTHENTICATED, 'This token no longer matches an account; sign in again', { http: { status: 401 } });
