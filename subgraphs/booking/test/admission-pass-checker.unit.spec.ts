import { issueAdmissionPass } from '@ticketing/contracts';
import type { AdmissionChecker } from '../src/application/ports';
import { createAdmissionPassChecker, type AdmissionCheckedVia } from '../src/adapters/admission/admission-pass.checker';

const SECRET = 'a-secret-long-enough-for-tests-0001';
const scheduleId = '5c4ed000-0000-4000-8000-000000000011';
const ticketId = '7a1c0000-0000-4000-8000-000000000022';
const userId = 'a1a1a1a1-0000-4000-8000-000000000001';
const now = new Date('2030-05-01T10:00:00.000Z');
const expiresAt = new Date(now.getTime() + 600_000);

/** The waiting room's check, recorded: the pass path must never reach it. */
function waitingRoom() {
  const asked: string[] = [];
  const checker: AdmissionChecker = {
    check: async ({ token }) => {
      asked.push(token);
      return { admitted: true, ticketId: 'from-the-queue', expiresAt };
    },
  };
  return { asked, checker };
}

function subject() {
  const room = waitingRoom();
  const via: AdmissionCheckedVia[] = [];
  const checker = createAdmissionPassChecker({ secret: SECRET, otherwise: room.checker, now: () => now, onChecked: (how) => via.push(how) });
  return { room, via, check: (token: string, forUser = userId) => checker.check({ token, scheduleId, userId: forUser, authorization: 'Bearer x' }) };
}

describe('the admission pass checker', () => {
  it('given a pass, when a hold is checked, then it is admitted here without asking the waiting room', async () => {
    const { room, via, check } = subject();
    const pass = issueAdmissionPass(SECRET, { scheduleId, ticketId, expiresAt }, userId);
    expect(await check(pass)).toEqual({ admitted: true, ticketId, expiresAt });
    expect(room.asked).toEqual([]);
    expect(via).toEqual(['pass']);
  });

  it("given someone else's or an expired pass, then it is refused here, also without asking", async () => {
    const { room, check } = subject();
    const pass = issueAdmissionPass(SECRET, { scheduleId, ticketId, expiresAt }, userId);
    expect(await check(pass, 'b2b2b2b2-0000-4000-8000-000000000002')).toEqual({ admitted: false, reason: 'FORGED' });
    const lapsed = issueAdmissionPass(SECRET, { scheduleId, ticketId, expiresAt: now }, userId);
    expect(await check(lapsed)).toEqual({ admitted: false, reason: 'EXPIRED' });
    expect(room.asked).toEqual([]);
  });

  it('given a queue token (or anything that is not a pass), then the waiting room decides', async () => {
    const { room, via, check } = subject();
    expect(await check('v1.some-queue-token')).toEqual({ admitted: true, ticketId: 'from-the-queue', expiresAt });
    expect(await check('')).toMatchObject({ admitted: true });
    expect(room.asked).toEqual(['v1.some-queue-token', '']);
    expect(via).toEqual(['queue', 'queue']);
  });
});
