import { randomUUID } from 'node:crypto';
import type { QueueTicketChanged } from '@ticketing/contracts';
import type { RetireOutcome } from '../src/application/ports';
import { retireTicket } from '../src/application/retire-ticket.command';

const request = { scheduleId: randomUUID(), ticketId: randomUUID(), userId: randomUUID() };
const retiredAt = new Date('2031-05-01T10:00:00.000Z');

function setUp(outcome: RetireOutcome) {
  const published: QueueTicketChanged[] = [];
  const retire = retireTicket({ room: { retire: async () => outcome }, publisher: { publish: async (change) => void published.push(change) } });
  return { published, retire };
}

describe('retiring the ticket of a confirmed booking', () => {
  it('given an ACTIVE ticket, when retired, then subscribers hear of it only once the caller runs the after-commit step', async () => {
    const { published, retire } = setUp({ kind: 'Retired', queueNumber: 7, retiredAt, alreadyRetired: false });

    const result = await retire(request);

    expect(published).toEqual([]);
    if (result.kind !== 'TicketRetired') throw new Error(`expected TicketRetired, got ${result.kind}`);
    expect(result.firstTime).toBe(true);
    await result.afterCommit();
    expect(published).toEqual([
      { scheduleId: request.scheduleId, ticketId: request.ticketId, queueNumber: 7, change: 'RETIRED', status: 'EXPIRED', at: retiredAt.toISOString() },
    ]);
  });

  it('given a ticket an earlier attempt retired, then it is announced again, since that attempt may have stopped before announcing', async () => {
    const { published, retire } = setUp({ kind: 'Retired', queueNumber: 7, retiredAt, alreadyRetired: true });

    const result = await retire(request);

    if (result.kind !== 'TicketRetired') throw new Error(`expected TicketRetired, got ${result.kind}`);
    expect(result.firstTime).toBe(false);
    await result.afterCommit();
    expect(published).toHaveLength(1);
  });

  it.each(['UNKNOWN', 'OTHER_USER', 'NOT_ACTIVE'] as const)('given a ticket the room refuses to retire (%s), then nothing is announced', async (reason) => {
    const { published, retire } = setUp({ kind: 'NotRetired', reason });

    expect(await retire(request)).toEqual({ kind: 'TicketNotRetired', reason });
    expect(published).toEqual([]);
  });
});
