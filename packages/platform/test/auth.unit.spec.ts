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

  describe('a token verified before', () => {
    afterEach(() => {
      jest.useRealTimers();
      jest.restoreAllMocks();
    });

    it('given the same token again, then it answers the same viewer without verifying it again', () => {
      // One no other test verified (an issued one may equal another test's, issued in the same second).
      const token = signed({ role: 'USER' }, { expiresIn: 60, jwtid: 'once' });
      const verify = jest.spyOn(jwt, 'verify');

      expect(verifyAccessToken(token, settings)).toEqual({ ok: true, viewer });
      expect(verifyAccessToken(token, settings)).toEqual({ ok: true, viewer });
      expect(verify).toHaveBeenCalledTimes(1);
    });

    it('given its expiry passes, then it is expired, as a token verified for the first time would be', () => {
      jest.useFakeTimers({ now: new Date('2026-12-05T12:00:00.000Z') });
      const token = signed({ role: 'USER' }, { expiresIn: 60 });
      expect(verifyAccessToken(token, settings).ok).toBe(true);

      jest.setSystemTime(new Date('2026-12-05T12:00:59.999Z'));
      expect(verifyAccessToken(token, settings).ok).toBe(true);
      jest.setSystemTime(new Date('2026-12-05T12:01:00.000Z'));
      expect(verifyAccessToken(token, settings)).toEqual({ ok: false, reason: 'expired' });
      expect(verifyAccessToken(token, settings)).toEqual({ ok: false, reason: 'expired' });
    });

    it('given other settings (another secret, a shorter lifetime), then it proves nothing there: it is verified under them', () => {
      const token = signed({ role: 'USER' }, { expiresIn: 600 });
      expect(verifyAccessToken(token, settings).ok).toBe(true);

      expect(verifyAccessToken(token, { ...settings, secret: 'another-secret-abcdefgh' })).toEqual({ ok: false, reason: 'invalid' });
      expect(verifyAccessToken(token, { ...settings, maxLifetimeSeconds: 300 })).toEqual({ ok: false, reason: 'too-long-lived' });
    });

    it('given a token that failed, then it is verified again every time: only verified tokens are kept', () => {
      const forged = `${issueAccessToken(viewer, settings).slice(0, -2)}xx`;
      const verify = jest.spyOn(jwt, 'verify');

      expect(verifyAccessToken(forged, settings)).toEqual({ ok: false, reason: 'invalid' });
      expect(verifyAccessToken(forged, settings)).toEqual({ ok: false, reason: 'invalid' });
      expect(verify).toHaveBeenCalledTimes(2);
    });
  });

  it('given no header, then the caller is anonymous; given a bad scheme, then UNAUTHENTICATED', () => {
    expect(viewerFromAuthorization(undefined, settings)).toBeNull();
    expect(() => viewerFromAuthorization('Basic abc', settings)).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }) }));
  });
});
