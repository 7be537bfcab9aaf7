import { issueQueueToken, parseQueueToken, signedFor } from '../src/domain/queue-token';

const SECRET = 'unit-test-secret-0123456789';
const claims = { scheduleId: '5c4ed000-0000-4000-8000-000000000011', ticketId: '0f8e2a51-8c1e-4f7e-9a7b-1d2c3b4a5e6f' };
const fan = 'a1a1a1a1-0000-4000-8000-000000000001';
const otherFan = 'b2b2b2b2-0000-4000-8000-000000000002';

describe('queue tokens', () => {
  it('given a token issued to a fan, then it parses back to its schedule and ticket and is signed for that fan only', () => {
    const token = issueQueueToken(SECRET, claims, fan);
    expect(token).toMatch(/^v1\.5c4ed000-0000-4000-8000-000000000011\.0f8e2a51-8c1e-4f7e-9a7b-1d2c3b4a5e6f\.[A-Za-z0-9_-]{43}$/);
    const parsed = parseQueueToken(token)!;
    expect(parsed).toMatchObject(claims);
    expect(signedFor(SECRET, parsed, fan)).toBe(true);
    expect(signedFor(SECRET, parsed, otherFan)).toBe(false);
  });

  it('does not reveal the user it is bound to', () => {
    expect(issueQueueToken(SECRET, claims, fan)).not.toContain(fan);
  });

  it('given a different secret, then the same token is not signed for anyone', () => {
    const parsed = parseQueueToken(issueQueueToken(SECRET, claims, fan))!;
    expect(signedFor('another-secret-0123456789', parsed, fan)).toBe(false);
  });

  it('when any part is changed, then the MAC no longer holds', () => {
    const token = issueQueueToken(SECRET, claims, fan);
    const otherSchedule = token.replace(claims.scheduleId, '5c4ed000-0000-4000-8000-000000000012');
    const otherTicket = token.replace(claims.ticketId, '0f8e2a51-8c1e-4f7e-9a7b-1d2c3b4a5e60');
    const lastChar = token.at(-1) === 'A' ? 'B' : 'A';
    const otherMac = `${token.slice(0, -1)}${lastChar}`;
    for (const forged of [otherSchedule, otherTicket, otherMac]) {
      expect(signedFor(SECRET, parseQueueToken(forged)!, fan)).toBe(false);
    }
  });

  it.each([
    ['empty', ''],
    ['garbage', 'let-me-in'],
    ['another version', issueQueueToken(SECRET, claims, fan).replace(/^v1/, 'v2')],
    ['upper-case ids', issueQueueToken(SECRET, claims, fan).replace(claims.scheduleId, claims.scheduleId.toUpperCase())],
    ['a MAC of the wrong length', `v1.${claims.scheduleId}.${claims.ticketId}.abc`],
    ['padding', `${issueQueueToken(SECRET, claims, fan)}=`],
    ['a huge string', 'v1.'.repeat(100_000)],
  ])('refuses %s as not a token at all', (_case, token) => {
    expect(parseQueueToken(token)).toBeNull();
  });
});
