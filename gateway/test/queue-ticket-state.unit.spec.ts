import type { QueueProgress, QueueTicketChanged } from '@ticketing/contracts';
import { advanceTicket, afterTicketChanged, expireIfDue, type QueueTicketView } from '../src/realtime/fields/queue-ticket-state';

const SCHEDULE = '5c4ed000-0000-4000-8000-000000000011';
const waiting = (queueNumber: number | null, nowServing = 0): QueueTicketView => ({
  token: 't',
  scheduleId: SCHEDULE,
  status: 'WAITING',
  position: queueNumber === null ? null : queueNumber - nowServing,
  estimatedWaitSeconds: null,
  expiresAt: null,
  queueNumber,
  admissionPass: null,
  nowServing,
  opensAt: null,
});
const progress = (overrides: Partial<QueueProgress>): QueueProgress => ({
  scheduleId: SCHEDULE,
  nowServing: 0,
  admitsPerSecond: 10,
  paused: false,
  preQueue: false,
  admitted: [],
  expired: [],
  at: '2026-11-21T06:00:00.000Z',
  ...overrides,
});

describe('a waiting ticket follows its schedule’s progress', () => {
  it('given number 50 and now serving 20, then position 30 and ETA from the rate', () => {
    const step = advanceTicket(waiting(50, 10), progress({ nowServing: 20 }));
    expect(step).toEqual({ kind: 'changed', ticket: expect.objectContaining({ position: 30, estimatedWaitSeconds: 3, nowServing: 20 }) });
  });

  it('given its number among the admitted, then it becomes ACTIVE with the expiry from the message', () => {
    const step = advanceTicket(
      waiting(21, 20),
      progress({ nowServing: 25, admitted: [{ ticketId: 'x', queueNumber: 21, expiresAt: '2026-11-21T06:10:00.000Z' }] }),
    );
    expect(step).toEqual({
      kind: 'changed',
      ticket: expect.objectContaining({ status: 'ACTIVE', position: null, expiresAt: '2026-11-21T06:10:00.000Z' }),
    });
  });

  it('given an older message (lower nowServing) arriving late, then the position never goes backwards', () => {
    const ahead = { ...waiting(50, 30), estimatedWaitSeconds: 2 };
    expect(advanceTicket(ahead, progress({ nowServing: 10 }))).toEqual({ kind: 'unchanged' });
    const step = advanceTicket(waiting(50, 30), progress({ nowServing: 10 }));
    expect(step).toEqual({ kind: 'changed', ticket: expect.objectContaining({ position: 20, nowServing: 30 }) });
  });

  it('given a paused queue, then the ETA is unknown (null) and the position holds', () => {
    const step = advanceTicket({ ...waiting(50, 20), estimatedWaitSeconds: 3 }, progress({ nowServing: 20, paused: true }));
    expect(step).toEqual({ kind: 'changed', ticket: expect.objectContaining({ position: 30, estimatedWaitSeconds: null }) });
  });

  it('given a pre-queue ticket and the line opened, then the number must be fetched from the queue', () => {
    expect(advanceTicket(waiting(null), progress({ preQueue: true }))).toEqual({ kind: 'unchanged' });
    expect(advanceTicket(waiting(null), progress({ preQueue: false }))).toEqual({ kind: 'refetch' });
  });

  it('given the line passed its number without its admission being seen, then it is fetched again', () => {
    expect(advanceTicket(waiting(21, 20), progress({ nowServing: 30 }))).toEqual({ kind: 'refetch' });
  });

  it('given an ACTIVE ticket, then progress messages do not change it', () => {
    const active: QueueTicketView = { ...waiting(5), status: 'ACTIVE', position: null, expiresAt: '2026-11-21T06:10:00.000Z' };
    expect(advanceTicket(active, progress({ nowServing: 99 }))).toEqual({ kind: 'unchanged' });
  });
});

describe('expiry is checked against the clock', () => {
  const active: QueueTicketView = { ...waiting(5), status: 'ACTIVE', position: null, expiresAt: '2026-11-21T06:10:00.000Z' };
  it('given a time before expiresAt, then nothing changes', () => {
    expect(expireIfDue(active, new Date('2026-11-21T06:09:59.999Z'))).toBeNull();
  });
  it('given expiresAt has passed, then the ticket is EXPIRED', () => {
    expect(expireIfDue(active, new Date('2026-11-21T06:10:00.000Z'))).toEqual(expect.objectContaining({ status: 'EXPIRED' }));
  });
});

describe('a retirement on the schedule’s ticket channel', () => {
  const active: QueueTicketView = { ...waiting(5), status: 'ACTIVE', position: null, expiresAt: '2026-11-21T06:10:00.000Z' };
  const retired = (queueNumber: number, scheduleId = SCHEDULE): QueueTicketChanged => ({
    scheduleId,
    ticketId: 'x',
    queueNumber,
    change: 'RETIRED',
    status: 'EXPIRED',
    at: '2026-11-21T06:03:00.000Z',
  });

  it('given its own queue number, then the ticket is read again from the queue (the message is not the state)', () => {
    expect(afterTicketChanged(active, retired(5))).toEqual({ kind: 'refetch' });
  });

  it('given its number while it still looks WAITING (its admission missed), then it is read again too', () => {
    expect(afterTicketChanged(waiting(5), retired(5))).toEqual({ kind: 'refetch' });
  });

  it('given another fan’s number, another schedule, or a ticket already EXPIRED, then nothing changes', () => {
    expect(afterTicketChanged(active, retired(6))).toEqual({ kind: 'unchanged' });
    expect(afterTicketChanged(active, retired(5, '5c4ed000-0000-4000-8000-000000000012'))).toEqual({ kind: 'unchanged' });
    expect(afterTicketChanged({ ...active, status: 'EXPIRED' }, retired(5))).toEqual({ kind: 'unchanged' });
  });

  it('given a pre-queue ticket with no number yet, then nothing changes', () => {
    expect(afterTicketChanged(waiting(null), retired(5))).toEqual({ kind: 'unchanged' });
  });
});
