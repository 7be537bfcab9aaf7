import { randomUUID } from 'node:crypto';
import { parseEvent, type EventEnvelope, type QueueTicketChanged } from '@ticketing/contracts';
import type { RetireOutcome, TicketEventLog } from '../src/application/ports';
import { retireTicket } from '../src/application/retire-ticket.command';

const request = {
  scheduleId: randomUUID(),
  ticketId: randomUUID(),
  userId: randomUUID(),
  bookingId: randomUUID(),
  correlationId: 'request-1',
  causationId: randomUUID(),
};
const retiredAt = new Date('2031-05-01T10:00:00.000Z');

/** A ticket stream log in memory: what the consumer's transaction would hold. */
function memoryLog(stored: EventEnvelope[] = []) {
  const log: TicketEventLog = {
    appendUnlessWritten: async (envelopes) => {
      const free = envelopes.filter((e) => !stored.some((s) => s.stream.id === e.stream.id && s.streamVersion === e.streamVersion));
      stored.push(...free);
    },
  };
  return { stored, log };
}

function setUp(outcome: RetireOutcome, stored: EventEnvelope[] = []) {
  const published: QueueTicketChanged[] = [];
  const { log } = memoryLog(stored);
  const service = retireTicket({
    room: { retire: async () => outcome },
    publisher: { publish: async (change) => void published.push(change) },
    newId: randomUUID,
  });
  return { published, stored, retire: (r: typeof request) => service(r, log) };
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

  it('given an ACTIVE ticket, when retired, then TicketRetired is written at version 1 of the ticket stream, caused by the confirmation', async () => {
    const { stored, retire } = setUp({ kind: 'Retired', queueNumber: 7, retiredAt, alreadyRetired: false });

    await retire(request);

    expect(stored).toHaveLength(1);
    const parsed = parseEvent(stored[0]);
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.value).toMatchObject({
      type: 'TicketRetired',
      stream: { type: 'queue-ticket', id: request.ticketId },
      streamVersion: 1,
      occurredAt: retiredAt.toISOString(),
      correlationId: 'request-1',
      causationId: request.causationId,
      payload: { scheduleId: request.scheduleId, ticketId: request.ticketId, userId: request.userId, bookingId: request.bookingId, queueNumber: 7 },
    });
  });

  it('given a ticket retired by an attempt that rolled back (no event stored), when retired again, then its event is written now', async () => {
    const { stored, retire } = setUp({ kind: 'Retired', queueNumber: 7, retiredAt, alreadyRetired: true });

    await retire(request);

    expect(stored.map((e) => e.type)).toEqual(['TicketRetired']);
  });

  it('given a ticket whose TicketRetired is already stored, when retired again, then no second event is written', async () => {
    const stored: EventEnvelope[] = [];
    await setUp({ kind: 'Retired', queueNumber: 7, retiredAt, alreadyRetired: false }, stored).retire(request);
    await setUp({ kind: 'Retired', queueNumber: 7, retiredAt, alreadyRetired: true }, stored).retire({ ...request, bookingId: randomUUID() });

    expect(stored).toHaveLength(1);
  });

  it.each(['UNKNOWN', 'OTHER_USER', 'NOT_ACTIVE'] as const)('given a ticket the room refuses to retire (%s), then no event is written', async (reason) => {
    const { stored, retire } = setUp({ kind: 'NotRetired', reason });

    await retire(request);

    expect(stored).toEqual([]);
  });
});
