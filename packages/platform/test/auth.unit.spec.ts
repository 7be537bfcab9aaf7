import jwt from 'jsonwebtoken';
import { issueAccessToken, verifyAccessToken, viewerFromAuthorization } from '../src/auth';

const SECRET = 'unit-test-secret-0123456789';
const settings = { secret: SECRET, maxLifetimeSeconds: 3600 };
const viewer = { userId: '6f1c1a9e-0d7b-4a53-9d5e-2a4b8e1f3c77', role: 'USER' as const };
const signed = (claims: object, options: jwt.SignOptions = {}) =>
  jwt.sign(claims, SECRET, { subject: viewer.userId, issuer: 'ticketing', audience: 'ticketing-api', ...options });

describe('access tokens', () => {
  it('given an issued token, when verified with the same settings, then the viewer comes back', () => {
    expect(verifyAccessToken(issueAccessToken(viewer, settings), settings)).toEqual({ ok: true, viewer });
  });

  it('given another secret, when verified, then it is invalid', () => {
    const other = issueAccessToken(viewer, { ...settings, secret: 'another-secret-abcdefgh' });
    expect(verifyAccessToken(other, settings)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('given an expired token, when verified, then it is expired', () => {
    expect(verifyAccessToken(signed({ role: 'USER' }, { expiresIn: -1 }), settings)).toEqual({ ok: false, reason: 'expired' });
  });

  it('given an unsigned (alg none) token, when verified, then it is refused', () => {
    const token = jwt.sign({ role: 'ADMIN' }, '', { algorithm: 'none', subject: viewer.userId, issuer: 'ticketing', audience: 'ticketing-api' });
    expect(verifyAccessToken(token, settings).ok).toBe(false);
  });

  it('given a token with an unknown role, when verified, then it is malformed', () => {
    expect(verifyAccessToken(signed({ role: 'ROOT' }, { expiresIn: 60 }), settings)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('given a token without exp, when verified, then it is malformed: every token must expire', () => {
    expect(verifyAccessToken(signed({ role: 'ADMIN' }), settings)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('given a token without iat, when verified, then it is malformed: its lifetime cannot be checked', () => {
    expect(verifyAccessToken(signed({ role: 'USER' }, { expiresIn: 60, noTimestamp: true }), settings)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('given a token living longer than the configured lifetime (a century), when verified, then it is refused', () => {
    const century = 100 * 365 * 24 * 3600;
    expect(verifyAccessToken(signed({ role: 'ADMIN' }, { expiresIn: century }), settings)).toEqual({ ok: false, reason: 'too-long-lived' });
    expect(verifyAccessToken(signed({ role: 'USER' }, { expiresIn: 3601 }), settings)).toEqual({ ok: false, reason: 'too-long-lived' });
    expect(verifyAccessToken(signed({ role: 'USER' }, { expiresIn: 3600 }), settings).ok).toBe(true);
  });

  it('given no header, then the caller is anonymous; given a bad scheme, then UNAUTHENTICATED', () => {
    expect(viewerFromAuthorization(undefined, settings)).toBeNull();
    expect(() => viewerFromAuthorization('Basic abc', settings)).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }) }));
  });
});
