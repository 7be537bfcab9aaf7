import { closeSales, openSales, parseCloseReason } from '../src/domain/sales-window';
import type { Schedule } from '../src/domain/catalog';

const NOW = new Date('2030-05-01T10:00:00.000Z');
const ADMIN = '00000000-0000-4000-8000-00000000000a';
const schedule = (overrides: { bookingOpensAt?: Date; salesClosedAt?: Date | null } = {}): Schedule => ({
  id: '00000000-0000-4000-8000-000000000001',
  concertId: '00000000-0000-4000-8000-000000000002',
  startsAt: new Date('2030-06-01T19:00:00.000Z'),
  bookingOpensAt: new Date('2030-04-01T10:00:00.000Z'),
  maxSeatsPerFan: 4,
  refundCutoffHours: 24,
  salesClosedAt: null,
  ...overrides,
});

describe('the sales window of a schedule', () => {
  it('given open sales, when an admin closes them, then they are closed now and SalesClosed says by whom and why', () => {
    const outcome = closeSales(schedule(), { reason: 'the stage is not safe', closedBy: ADMIN }, NOW);
    expect(outcome).toEqual({
      kind: 'SalesWindowChanged',
      schedule: schedule({ salesClosedAt: NOW }),
      events: [{ type: 'SalesClosed', payload: { scheduleId: schedule().id, closedAt: NOW.toISOString(), reason: 'the stage is not safe', closedBy: ADMIN } }],
    });
  });

  it('given closed sales, when an admin closes them again, then nothing changes and nothing is published', () => {
    const closed = schedule({ salesClosedAt: new Date('2030-05-01T09:00:00.000Z') });
    expect(closeSales(closed, { reason: 'again', closedBy: ADMIN }, NOW)).toEqual({ kind: 'SalesWindowUnchanged', schedule: closed });
  });

  it('given closed sales whose opening has passed, when an admin opens them, then the close is lifted and the opening stays', () => {
    const closed = schedule({ salesClosedAt: new Date('2030-05-01T09:00:00.000Z') });
    expect(openSales(closed, { openedBy: ADMIN }, NOW)).toEqual({
      kind: 'SalesWindowChanged',
      schedule: schedule(),
      events: [{ type: 'SalesOpened', payload: { scheduleId: closed.id, openedAt: NOW.toISOString(), bookingOpensAt: closed.bookingOpensAt.toISOString(), openedBy: ADMIN } }],
    });
  });

  it('given a sale opening tomorrow, when an admin opens it, then it opens now', () => {
    const later = schedule({ bookingOpensAt: new Date('2030-05-02T10:00:00.000Z') });
    const outcome = openSales(later, { openedBy: ADMIN }, NOW);
    expect(outcome.kind === 'SalesWindowChanged' && outcome.schedule.bookingOpensAt).toEqual(NOW);
  });

  it('given open sales whose opening has passed, when an admin opens them, then nothing changes and nothing is published', () => {
    expect(openSales(schedule(), { openedBy: ADMIN }, NOW)).toEqual({ kind: 'SalesWindowUnchanged', schedule: schedule() });
  });

  it('given a reason, then it is trimmed, and an empty or overlong one is refused on the reason field', () => {
    expect(parseCloseReason('  power cut ')).toBe('power cut');
    expect(parseCloseReason('  ')).toMatchObject({ kind: 'InvalidInput', field: 'reason' });
    expect(parseCloseReason('x'.repeat(501))).toMatchObject({ kind: 'InvalidInput', field: 'reason' });
  });
});
