import { isAdmissionPass, issueAdmissionPass, readAdmissionPass } from '../src/admission-pass';

const SECRET = 'a-secret-long-enough-for-tests-0001';
const scheduleId = '5c4ed000-0000-4000-8000-000000000011';
const ticketId = '7a1c0000-0000-4000-8000-000000000022';
const fan = 'a1a1a1a1-0000-4000-8000-000000000001';
const stranger = 'b2b2b2b2-0000-4000-8000-000000000002';
const now = new Date('2030-05-01T10:00:00.000Z');
const expiresAt = new Date(now.getTime() + 600_000);

const pass = issueAdmissionPass(SECRET, { scheduleId, ticketId, expiresAt }, fan);
const read = (token: string, overrides: Partial<{ userId: string; scheduleId: string; now: Date }> = {}, secret = SECRET) =>
  readAdmissionPass(secret, token, { userId: fan, scheduleId, now, ...overrides });

/** The pass with its `index`-th dot-separated part replaced. */
const withPart = (index: number, value: string) => pass.split('.').map((part, i) => (i === index ? value : part)).join('.');

describe('admission pass', () => {
  it('given a pass issued to the fan, when they use it for its schedule before its expiry, then it admits them with its ticket and expiry', () => {
    expect(isAdmissionPass(pass)).toBe(true);
    expect(read(pass)).toEqual({ kind: 'Admitted', ticketId, expiresAt });
  });

  it('reads the schedule id in any case, as the waiting room writes it in lower case', () => {
    expect(read(pass, { scheduleId: scheduleId.toUpperCase() })).toMatchObject({ kind: 'Admitted' });
  });

  it('stops admitting at its expiry, to the millisecond', () => {
    expect(read(pass, { now: new Date(expiresAt.getTime() - 1) })).toMatchObject({ kind: 'Admitted' });
    expect(read(pass, { now: expiresAt })).toEqual({ kind: 'Rejected', reason: 'EXPIRED' });
  });

  it('is refused for another schedule', () => {
    expect(read(pass, { scheduleId: '5c4ed000-0000-4000-8000-000000000099' })).toEqual({ kind: 'Rejected', reason: 'OTHER_SCHEDULE' });
  });

  it.each([
    ['used by another account', () => read(pass, { userId: stranger })],
    ['checked with another secret', () => read(pass, {}, 'another-secret-long-enough-for-tests')],
    ['with its expiry pushed later', () => read(withPart(3, String(expiresAt.getTime() + 60_000)))],
    ['moved to another schedule', () => read(withPart(1, '5c4ed000-0000-4000-8000-000000000099'), { scheduleId: '5c4ed000-0000-4000-8000-000000000099' })],
    ['moved to another ticket', () => read(withPart(2, '7a1c0000-0000-4000-8000-000000000099'))],
    ['with one character of its MAC changed', () => read(pass.slice(0, -1) + (pass.endsWith('A') ? 'B' : 'A'))],
    ['without its MAC', () => read(pass.slice(0, pass.lastIndexOf('.')))],
    ['of another version', () => read(`p2${pass.slice(2)}`)],
    ['with an upper-case schedule id', () => read(withPart(1, scheduleId.toUpperCase()))],
    ['empty', () => read('')],
    ['a queue token', () => read(`v1.${scheduleId}.${ticketId}.${'A'.repeat(43)}`)],
    ['huge', () => read(`p1.${'x'.repeat(1_000_000)}`)],
  ])('is FORGED when %s', (_case, attempt) => {
    expect(attempt()).toEqual({ kind: 'Rejected', reason: 'FORGED' });
  });

  it('tells passes from queue tokens by their prefix alone', () => {
    expect(isAdmissionPass(`v1.${scheduleId}.${ticketId}.${'A'.repeat(43)}`)).toBe(false);
    expect(isAdmissionPass('p1.anything')).toBe(true);
    expect(isAdmissionPass('')).toBe(false);
  });
});
