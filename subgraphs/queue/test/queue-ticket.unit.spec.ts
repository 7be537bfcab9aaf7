import { checkAdmission, statusAt, viewTicket, type LineState, type StoredTicket } from '../src/domain/queue-ticket';

const now = new Date('2030-05-01T10:00:00.000Z');
const later = (ms: number) => new Date(now.getTime() + ms);
const scheduleId = '5c4ed000-0000-4000-8000-000000000011';
const userId = 'a1a1a1a1-0000-4000-8000-000000000001';

const ticket = (overrides: Partial<StoredTicket> = {}): StoredTicket => ({
  ticketId: 't-1',
  userId,
  scheduleId,
  status: 'WAITING',
  queueNumber: 120,
  expiresAt: null,
  createdAt: now,
  ...overrides,
});
/** Stands in for the HMAC: shows what the view asked to be signed. */
const pass = ({ scheduleId, ticketId, expiresAt }: { scheduleId: string; ticketId: string; expiresAt: Date }) => `pass:${scheduleId}:${ticketId}:${expiresAt.toISOString()}`;
const line = (overrides: Partial<LineState> = {}): LineState => ({
  nowServing: 100,
  admitsPerSecond: 10,
  paused: false,
  opened: true,
  opensAt: later(-60_000),
  ...overrides,
});

describe('statusAt', () => {
  it('given an ACTIVE ticket, when its expiry has come, then it is EXPIRED even though the store still says ACTIVE', () => {
    const active = ticket({ status: 'ACTIVE', expiresAt: later(1_000) });
    expect(statusAt(active, later(999))).toBe('ACTIVE');
    expect(statusAt(active, later(1_000))).toBe('EXPIRED');
    expect(statusAt(active, later(60_000))).toBe('EXPIRED');
  });

  it('keeps WAITING and EXPIRED as stored', () => {
    expect(statusAt(ticket(), later(10 ** 9))).toBe('WAITING');
    expect(statusAt(ticket({ status: 'EXPIRED', expiresAt: later(-1) }), now)).toBe('EXPIRED');
  });
});

describe('viewTicket', () => {
  it('given a waiting ticket with a number, then its position counts the numbers not yet admitted and its ETA divides by the rate', () => {
    expect(viewTicket('tok', ticket(), line(), now, pass)).toEqual({
      token: 'tok',
      scheduleId,
      status: 'WAITING',
      position: 20,
      estimatedWaitSeconds: 2,
      expiresAt: null,
      queueNumber: 120,
      nowServing: 100,
      opensAt: later(-60_000),
      admissionPass: null,
    });
  });

  it('when the line moves, then the position only goes down', () => {
    const positions = [100, 105, 119].map((nowServing) => viewTicket('tok', ticket(), line({ nowServing }), now, pass).position);
    expect(positions).toEqual([20, 15, 1]);
  });

  it('given a paused line, then there is a position but no ETA', () => {
    expect(viewTicket('tok', ticket(), line({ paused: true }), now, pass)).toMatchObject({ position: 20, estimatedWaitSeconds: null });
  });

  it('given a ticket still in the pre-queue, then it has neither number, position nor ETA, but knows when the line opens', () => {
    const opensAt = later(30_000);
    expect(viewTicket('tok', ticket({ queueNumber: null }), line({ nowServing: 0, opened: false, opensAt }), now, pass)).toMatchObject({
      status: 'WAITING',
      position: null,
      estimatedWaitSeconds: null,
      queueNumber: null,
      opensAt,
    });
  });

  it('given an ACTIVE ticket, then it shows until when, with a pass for its schedule, ticket and expiry; once past that, EXPIRED without one', () => {
    const active = ticket({ status: 'ACTIVE', expiresAt: later(5_000) });
    expect(viewTicket('tok', active, line({ nowServing: 130 }), now, pass)).toMatchObject({
      status: 'ACTIVE',
      position: null,
      expiresAt: later(5_000),
      admissionPass: `pass:${scheduleId}:t-1:${later(5_000).toISOString()}`,
    });
    expect(viewTicket('tok', active, line({ nowServing: 130 }), later(5_000), pass)).toMatchObject({ status: 'EXPIRED', position: null, admissionPass: null });
  });
});

describe('checkAdmission', () => {
  const expected = { userId, scheduleId };
  const active = ticket({ status: 'ACTIVE', expiresAt: later(1_000) });

  it('admits an ACTIVE ticket of the same fan and schedule before its expiry', () => {
    expect(checkAdmission(active, expected, now)).toEqual({ kind: 'Admitted', ticketId: 't-1', expiresAt: later(1_000) });
  });

  it.each([
    ['no ticket', null, now, 'UNKNOWN'],
    ["someone else's ticket", { ...active, userId: 'someone-else' }, now, 'OTHER_USER'],
    ["another schedule's ticket", { ...active, scheduleId: 'another' }, now, 'OTHER_SCHEDULE'],
    ['a waiting ticket', ticket(), now, 'WAITING'],
    ['a ticket past its expiry', active, later(1_000), 'EXPIRED'],
    ['an expired ticket', { ...active, status: 'EXPIRED' as const }, now, 'EXPIRED'],
  ])('refuses %s', (_case, stored, at, reason) => {
    expect(checkAdmission(stored, expected, at)).toEqual({ kind: 'Rejected', reason });
  });
});
