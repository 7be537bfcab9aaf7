import { accountStanding, accountStandingSchema, type AccountStanding } from '@ticketing/contracts';
import { clientError, ErrorCode } from './errors';
import type { Logger } from './logger';
import { createRedis } from './redis';

/**
 * The locked accounts, known in memory to every process that verifies tokens. A token proves its
 * signature, not that an admin has not locked its account since; looking that up per request
 * would add a Redis round trip to every subgraph call, so each process keeps the standings the
 * user subgraph announces (a Redis hash, loaded at each (re)connection, plus a channel) and asks
 * nothing per request. While Redis is unreachable the last known standings hold (fail open for
 * new locks only, like the gateway's account check).
 */
export interface AccountLocks {
  isLocked(userId: string): boolean;
  /** Called with each newer standing (the gateway forgets its cached account check). */
  onChange(listener: (standing: AccountStanding) => void): void;
  /** Settles once the first load has ended, whether it succeeded or not. */
  ready: Promise<void>;
  close(): Promise<void>;
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

export function createAccountLocks(options: { redisUrl: string; keyPrefix: string; logger: Logger }): AccountLocks {
  const known = new Map<string, { version: number; locked: boolean }>();
  const listeners: Array<(standing: AccountStanding) => void> = [];
  /** Older versions never undo newer ones: a late message or a stale hash read changes nothing. */
  const apply = (raw: string) => {
    // A malformed publish must not throw inside the Redis 'message' handler (that would end the process).
    const parsed = accountStandingSchema.safeParse(parseJson(raw));
    if (!parsed.success) return options.logger.warn({ raw }, 'unreadable account standing ignored');
    const standing = parsed.data;
    const current = known.get(standing.userId);
    if (current && current.version > standing.version) return;
    known.set(standing.userId, { version: standing.version, locked: standing.locked });
    for (const listener of listeners) listener(standing);
  };
  const channel = accountStanding.channel(options.keyPrefix);
  // A connection in subscribe mode can run nothing else, hence two.
  const subscriber = createRedis(options.redisUrl);
  const reader = createRedis(options.redisUrl, options.keyPrefix);
  subscriber.on('message', (from: string, message: string) => {
    if (from === channel) apply(message);
  });
  // Subscribed first, then the hash read: nothing announced in between is missed.
  const load = async () => {
    await subscriber.subscribe(channel);
    for (const raw of Object.values(await reader.hgetall(accountStanding.key))) apply(raw);
  };
  const loadLogged = () => load().catch((error: unknown) => options.logger.warn({ err: error }, 'account standings not loaded; the last known ones hold'));
  const ready = loadLogged();
  // After a reconnection: what was announced while away is in the hash.
  let connections = 0;
  subscriber.on('ready', () => {
    if (++connections > 1) void loadLogged();
  });
  return {
    isLocked: (userId) => known.get(userId)?.locked === true,
    onChange: (listener) => void listeners.push(listener),
    ready,
    async close() {
      await Promise.allSettled([subscriber.quit(), reader.quit()]);
    },
  };
}

/** What the holder of a locked account's token hears, at the gateway and at every subgraph: 403. */
export const accountLockedError = () =>
  clientError(ErrorCode.ACCOUNT_LOCKED, 'This account is locked; contact support', { http: { status: 403 } });
