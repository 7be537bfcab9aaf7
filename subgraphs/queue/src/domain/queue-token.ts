import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * A queue token: `v1.<scheduleId>.<ticketId>.<mac>`, mac = base64url HMAC-SHA256 over the
 * schedule, the ticket and the user it was issued to. The user id is not in the token but in the
 * MAC, so a token copied to another account fails for that account, and nothing in it can be
 * changed without the secret. Pure (hashing is computation, not I/O).
 */

export interface TokenClaims {
  scheduleId: string;
  ticketId: string;
}

const VERSION = 'v1';
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const TOKEN = new RegExp(`^${VERSION}\\.(${UUID})\\.(${UUID})\\.([A-Za-z0-9_-]{43})$`);
/** Exactly what `issueQueueToken` produces; anything longer is refused before the regex runs. */
const TOKEN_LENGTH = VERSION.length + 1 + 36 + 1 + 36 + 1 + 43;

function mac(secret: string, claims: TokenClaims, userId: string): string {
  // Fixed-width UUIDs and a separator they cannot contain: no two inputs share a message.
  return createHmac('sha256', secret)
    .update(`queue-ticket|${VERSION}|${claims.scheduleId}|${claims.ticketId}|${userId}`)
    .digest('base64url');
}

export function issueQueueToken(secret: string, claims: TokenClaims, userId: string): string {
  return `${VERSION}.${claims.scheduleId}.${claims.ticketId}.${mac(secret, claims, userId)}`;
}

export interface ParsedToken extends TokenClaims {
  /** As sent: compared as text, because base64url decoding would accept variants of the last character. */
  signature: string;
}

/** The token's parts if it has the exact shape of one we issue; says nothing about its MAC. */
export function parseQueueToken(token: string): ParsedToken | null {
  if (token.length !== TOKEN_LENGTH) return null;
  const match = TOKEN.exec(token);
  if (!match) return null;
  const [, scheduleId, ticketId, signature] = match as unknown as [string, string, string, string];
  return { scheduleId, ticketId, signature };
}

/** Constant-time comparison, so response timing tells a forger nothing about the right MAC. */
export function signedFor(secret: string, token: ParsedToken, userId: string): boolean {
  const expected = Buffer.from(mac(secret, token, userId));
  const given = Buffer.from(token.signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
