import { verifyAdmission } from '../src/application/verify-admission.query';
import { getQueueTicket } from '../src/application/get-queue-ticket.query';
import type { TicketRead, WaitingRoom } from '../src/application/ports';
import type { StoredTicket } from '../src/domain/queue-ticket';
import { issueQueueToken } from '../src/domain/queue-token';

const SECRET = 'unit-test-secret-0123456789';
const now = new Date('2030-05-01T10:00:00.000Z');
const scheduleId = '5c4ed000-0000-4000-8000-000000000011';
const ticketId = '0f8e2a51-8c1e-4f7e-9a7b-1d2c3b4a5e6f';
const fan = 'a1a1a1a1-0000-4000-8000-000000000001';
const stranger = 'b2b2b2b2-0000-4000-8000-000000000002';

/** A waiting room holding one ticket; counts reads so we can see what touched it. */
function roomWith(stored: StoredTicket | null) {
  const calls = { read: 0, ownerOf: 0 };
  const room: Pick<WaitingRoom, 'read' | 'readTicket' | 'ownerOf'> = {
    async read(_scheduleId, id): Promise<TicketRead | null> {
      calls.read++;
      if (!stored || id !== stored.ticketId) return null;
      return { ticket: stored, now, line: { nowServing: 10, admitsPerSecond: 5, paused: false, opened: true, opensAt: null } };
    },
    // The admission check reads the ticket alone; counted as a read of the waiting room like `read`.
    async readTicket(_scheduleId, id) {
      calls.read++;
      return stored && id === stored.ticketId ? { ticket: stored, now } : null;
    },
    async ownerOf(_scheduleId, id) {
      calls.ownerOf++;
      return stored && id === stored.ticketId ? stored.userId : null;
    },
  };
  return { room: room as WaitingRoom, calls };
}

const activeTicket: StoredTicket = {
  ticketId,
  userId: fan,
  scheduleId,
  status: 'ACTIVE',
  queueNumber: 3,
  expiresAt: new Date(now.getTime() + 60_000),
  createdAt: now,
};
const token = issueQueueToken(SECRET, { scheduleId, ticketId }, fan);

describe('verifyAdmission (what booking asks before holding seats)', () => {
  it('given the owner of an ACTIVE ticket, then it is valid until the ticket expires', async () => {
    const { room } = roomWith(activeTicket);
    expect(await verifyAdmission({ room, tokenSecret: SECRET })(fan, { token, scheduleId })).toEqual({
      valid: true,
      ticketId,
      expiresAt: '2030-05-01T10:01:00.000Z',
    });
  });

  it('given garbage, then FORGED without reading the waiting room', async () => {
    const { room, calls } = roomWith(activeTicket);
    expect(await verifyAdmission({ room, tokenSecret: SECRET })(fan, { token: 'garbage', scheduleId })).toEqual({ valid: false, reason: 'FORGED' });
    expect(calls).toEqual({ read: 0, ownerOf: 0 });
  });

  it("given someone else's genuine token, then OTHER_USER, and the ticket itself is never read", async () => {
    const { room, calls } = roomWith(activeTicket);
    expect(await verifyAdmission({ room, tokenSecret: SECRET })(stranger, { token, scheduleId })).toEqual({ valid: false, reason: 'OTHER_USER' });
    expect(calls.read).toBe(0);
  });

  it('given a token signed with another secret, then FORGED even for its owner', async () => {
    const { room } = roomWith(activeTicket);
    const forged = issueQueueToken('someone-elses-secret-000', { scheduleId, ticketId }, fan);
    expect(await verifyAdmission({ room, tokenSecret: SECRET })(fan, { token: forged, scheduleId })).toEqual({ valid: false, reason: 'FORGED' });
  });

  it('given the right token for another schedule, then OTHER_SCHEDULE before any read', async () => {
    const { room, calls } = roomWith(activeTicket);
    const answer = await verifyAdmission({ room, tokenSecret: SECRET })(fan, { token, scheduleId: '5c4ed000-0000-4000-8000-000000000012' });
    expect(answer).toEqual({ valid: false, reason: 'OTHER_SCHEDULE' });
    expect(calls.read).toBe(0);
  });

  it.each([
    ['a waiting ticket', { ...activeTicket, status: 'WAITING' as const, expiresAt: null }, 'WAITING'],
    ['an ACTIVE ticket past its expiry (no sweep yet)', { ...activeTicket, expiresAt: now }, 'EXPIRED'],
    ['a ticket that is gone', null, 'UNKNOWN'],
  ])('given %s, then refused', async (_case, stored, reason) => {
    const { room } = roomWith(stored);
    expect(await verifyAdmission({ room, tokenSecret: SECRET })(fan, { token, scheduleId })).toEqual({ valid: false, reason });
  });
});

describe('getQueueTicket', () => {
  it('shows the owner a waiting ticket with its position, and refuses anyone else', async () => {
    const { room } = roomWith({ ...activeTicket, status: 'WAITING', queueNumber: 14, expiresAt: null });
    const read = getQueueTicket({ room, tokenSecret: SECRET, passSecret: SECRET });
    expect(await read(fan, token)).toMatchObject({ kind: 'Found', ticket: { status: 'WAITING', position: 4, estimatedWaitSeconds: 1 } });
    expect(await read(stranger, token)).toEqual({ kind: 'TokenInvalid', reason: 'OTHER_USER' });
    expect(await read(fan, '')).toEqual({ kind: 'TokenInvalid', reason: 'FORGED' });
  });
});
