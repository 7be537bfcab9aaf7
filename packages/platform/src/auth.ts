import { createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import { clientError, ErrorCode } from './errors';

export const Role = { USER: 'USER', ADMIN: 'ADMIN' } as const;
export type Role = (typeof Role)[keyof typeof Role];

/** Who is calling, as proven by a verified token. */
export interface Viewer {
  userId: string;
  role: Role;
}

const ISSUER = 'ticketing';
const AUDIENCE = 'ticketing-api';
const claimsSchema = z.object({
  sub: z.string().uuid(),
  role: z.enum([Role.USER, Role.ADMIN]),
  iat: z.number().int(),
  exp: z.number().int(),
});

/** How every process signs and checks access tokens; built from the shared config. */
export interface AccessTokenSettings {
  secret: string;
  /** A token must expire within this many seconds of being issued; longer-lived ones are refused. */
  maxLifetimeSeconds: number;
  /**
   * Where the user subgraph announces accounts' standing (auth-account-locks.ts): a process that
   * serves requests with these settings also refuses the tokens of locked accounts.
   */
  accountStanding?: { redisUrl: string; keyPrefix: string };
}

export function accessTokenSettings(config: {
  JWT_SECRET: string;
  ACCESS_TOKEN_TTL_SECONDS: number;
  REDIS_URL?: string;
  REDIS_KEY_PREFIX?: string;
}): AccessTokenSettings {
  return {
    secret: config.JWT_SECRET,
    maxLifetimeSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
    ...(config.REDIS_URL !== undefined && { accountStanding: { redisUrl: config.REDIS_URL, keyPrefix: config.REDIS_KEY_PREFIX ?? '' } }),
  };
}

/**
 * jsonwebtoken 9 turns a string secret into a key on every call by first trying
 * createPublicKey(), which throws for an HMAC secret: that failed parse was 18% of a subgraph's
 * CPU under load (auth0/node-jsonwebtoken#1046). A KeyObject made once skips it.
 */
const keys = new Map<string, KeyObject>();
function keyFor(secret: string): KeyObject {
  let key = keys.get(secret);
  if (!key) keys.set(secret, (key = createSecretKey(Buffer.from(secret, 'utf8'))));
  return key;
}

export function issueAccessToken(viewer: Viewer, settings: AccessTokenSettings): string {
  return jwt.sign({ role: viewer.role }, keyFor(settings.secret), {
    algorithm: 'HS256',
    subject: viewer.userId,
    issuer: ISSUER,
    audience: AUDIENCE,
    expiresIn: settings.maxLifetimeSeconds,
  });
}

export type TokenCheck = { ok: true; viewer: Viewer } | { ok: false; reason: 'malformed' | 'expired' | 'invalid' | 'too-long-lived' };

/** How many verified tokens each process remembers (about 0.5 KB each): the fans busy at once. */
const VERIFIED_TOKENS_KEPT = 20_000;

/**
 * Tokens this process verified, by their text, with what they proved and when they expire. A fan
 * sends the same token with every request, and the gateway and the subgraph each verified it every
 * time: an HMAC, two JSON parses and a schema, 4% of the gateway's CPU per payment (issue 10).
 * Only tokens that verified are kept, under the settings they verified with (a token proves
 * nothing under another secret or a shorter lifetime). lru-cache rather than a Map: bounded, so a
 * flood of valid tokens evicts the oldest instead of growing the heap.
 */
const verifiedTokens = new Map<string, LRUCache<string, { viewer: Viewer; expiresAtMs: number }>>();
function verifiedUnder(settings: AccessTokenSettings) {
  const key = `${settings.maxLifetimeSeconds}:${settings.secret}`;
  let verified = verifiedTokens.get(key);
  if (!verified) verifiedTokens.set(key, (verified = new LRUCache({ max: VERIFIED_TOKENS_KEPT })));
  return verified;
}

/**
 * Verifies signature, algorithm, issuer, audience and expiry, and that the token expires at all
 * and within the configured lifetime (a token "valid for a century" is a stolen key's dream);
 * never throws. A token verified before answers from memory until it expires, then as expired
 * (jsonwebtoken's rule: expired from its `exp` second on).
 */
export function verifyAccessToken(token: string, settings: AccessTokenSettings): TokenCheck {
  const verified = verifiedUnder(settings);
  const known = verified.get(token);
  if (known) {
    if (Date.now() < known.expiresAtMs) return { ok: true, viewer: known.viewer };
    verified.delete(token);
    return { ok: false, reason: 'expired' };
  }
  try {
    const payload = jwt.verify(token, keyFor(settings.secret), { algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE });
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success) return { ok: false, reason: 'malformed' };
    if (claims.data.exp - claims.data.iat > settings.maxLifetimeSeconds) return { ok: false, reason: 'too-long-lived' };
    const viewer = { userId: claims.data.sub, role: claims.data.role };
    verified.set(token, { viewer, expiresAtMs: claims.data.exp * 1000 });
    return { ok: true, viewer };
  } catch (error) {
    return { ok: false, reason: error instanceof jwt.TokenExpiredError ? 'expired' : 'invalid' };
  }
}

/**
 * Reads `Authorization: Bearer <token>`. No header → anonymous (null); a header that does not
 * verify → UNAUTHENTICATED, because a client that sent a bad token must learn it at once.
 */
export function viewerFromAuthorization(header: string | undefined, settings: AccessTokenSettings): Viewer | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  // http.status: thrown while building the context, so Apollo answers 401 instead of 500.
  const unauthenticated = (message: string) => clientError(ErrorCode.UNAUTHENTICATED, message, { http: { status: 401 } });
  if (!match?.[1]) throw unauthenticated('Authorization header must be "Bearer <token>"');
  const check = verifyAccessToken(match[1], settings);
  if (!check.ok) throw unauthenticated(check.reason === 'expired' ? 'Token expired' : 'Invalid token');
  return check.viewer;
}

export function requireViewer(viewer: Viewer | null): Viewer {
  if (!viewer) throw clientError(ErrorCode.UNAUTHENTICATED, 'Sign in first');
  return viewer;
}

export function requireAdmin(viewer: Viewer | null): Viewer {
  const signedIn = requireViewer(viewer);
  if (signedIn.role !== Role.ADMIN) throw clientError(ErrorCode.FORBIDDEN, 'Admins only');
  return signedIn;
}
