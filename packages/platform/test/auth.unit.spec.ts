import jwt from 'jsonwebtoken';
import { issueAccessToken, verifyAccessToken, viewerFromAuthorization } from '../src/auth';

const SECRET = 'unit-test-secret-0123456789';
const viewer = { userId: '6f1c1a9e-0d7b-4a53-9d5e-2a4b8e1f3c77', role: 'USER' as const };

describe('access tokens', () => {
  it('given an issued token, when verified with the same secret, then the viewer comes back', () => {
    expect(verifyAccessToken(issueAccessToken(viewer, SECRET), SECRET)).toEqual({ ok: true, viewer });
  });

  it('given another secret, when verified, then it is invalid', () => {
    expect(verifyAccessToken(issueAccessToken(viewer, 'another-secret-abcdefgh'), SECRET)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('given an expired token, when verified, then it is expired', () => {
    const token = jwt.sign({ role: 'USER' }, SECRET, { subject: viewer.userId, issuer: 'ticketing', audience: 'ticketing-api', expiresIn: -1 });
    expect(verifyAccessToken(token, SECRET)).toEqual({ ok: false, reason: 'expired' });
  });

  it('given an unsigned (alg none) token, when verified, then it is refused', () => {
    const token = jwt.sign({ role: 'ADMIN' }, '', { algorithm: 'none', subject: viewer.userId, issuer: 'ticketing', audience: 'ticketing-api' });
    expect(verifyAccessToken(token, SECRET).ok).toBe(false);
  });

  it('given a token with an unknown role, when verified, then it is malformed', () => {
    const token = jwt.sign({ role: 'ROOT' }, SECRET, { subject: viewer.userId, issuer: 'ticketing', audience: 'ticketing-api' });
    expect(verifyAccessToken(token, SECRET)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('given no header, then the caller is anonymous; given a bad scheme, then UNAUTHENTICATED', () => {
    expect(viewerFromAuthorization(undefined, SECRET)).toBeNull();
    expect(() => viewerFromAuthorization('Basic abc', SECRET)).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }) }));
  });
});
