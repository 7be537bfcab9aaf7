import { parseQueueToken, signedFor, type TokenClaims } from '../domain/queue-token';
import type { WaitingRoom } from './ports';

export type TokenReading = { kind: 'Genuine'; claims: TokenClaims } | { kind: 'Rejected'; reason: 'FORGED' | 'OTHER_USER' };

/**
 * Checks a token's MAC for its caller before anything else reads the waiting room. Only a token
 * that fails it costs one lookup of the ticket's owner, to tell a token shared between accounts
 * (genuine, for someone else) from a forged one; both are refused.
 */
export async function readCallersToken(
  deps: { room: Pick<WaitingRoom, 'ownerOf'>; tokenSecret: string },
  userId: string,
  token: string,
): Promise<TokenReading> {
  const parsed = parseQueueToken(token);
  if (!parsed) return { kind: 'Rejected', reason: 'FORGED' };
  const claims = { scheduleId: parsed.scheduleId, ticketId: parsed.ticketId };
  if (signedFor(deps.tokenSecret, parsed, userId)) return { kind: 'Genuine', claims };
  const owner = await deps.room.ownerOf(parsed.scheduleId, parsed.ticketId);
  const shared = owner !== null && owner !== userId && signedFor(deps.tokenSecret, parsed, owner);
  return { kind: 'Rejected', reason: shared ? 'OTHER_USER' : 'FORGED' };
}
