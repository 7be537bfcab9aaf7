import { createEvent, type KnownEvent } from '@ticketing/contracts';
import { saleWindowChangeOf } from '../src/domain/sale-window';

const SCHEDULE = 'AAAAAAAA-0000-4000-8000-000000000001';
const ADMIN = '00000000-0000-4000-8000-00000000000a';
const NOW = new Date('2030-05-01T10:00:00.000Z');
const meta = (streamVersion: number) => ({ eventId: `00000000-0000-4000-8000-00000000000${streamVersion}`, streamId: SCHEDULE, streamVersion, now: NOW, correlationId: 'test' });

describe('what a catalog event tells the waiting room', () => {
  it('given ScheduleCreated, then the opening at its stream version, in lower case ids', () => {
    const event = createEvent('ScheduleCreated', { scheduleId: SCHEDULE, concertId: ADMIN, startsAt: '2030-06-01T19:00:00.000Z', bookingOpensAt: '2030-05-02T10:00:00.000Z', maxSeatsPerFan: 4 }, meta(0)) as KnownEvent;
    expect(saleWindowChangeOf(event)).toEqual({ scheduleId: SCHEDULE.toLowerCase(), version: 0, opensAt: new Date('2030-05-02T10:00:00.000Z') });
  });

  it('given ScheduleChanged with a new opening, then the opening; with only a new cap, then nothing', () => {
    const moved = createEvent('ScheduleChanged', { scheduleId: SCHEDULE, bookingOpensAt: '2030-05-01T12:00:00.000Z' }, meta(3)) as KnownEvent;
    const capped = createEvent('ScheduleChanged', { scheduleId: SCHEDULE, maxSeatsPerFan: 2 }, meta(4)) as KnownEvent;
    expect(saleWindowChangeOf(moved)).toEqual({ scheduleId: SCHEDULE.toLowerCase(), version: 3, opensAt: new Date('2030-05-01T12:00:00.000Z') });
    expect(saleWindowChangeOf(capped)).toBeNull();
  });

  it('given SalesClosed then SalesOpened, then closed, then open with the opening the catalog has', () => {
    const closed = createEvent('SalesClosed', { scheduleId: SCHEDULE, closedAt: NOW.toISOString(), reason: 'power cut', closedBy: ADMIN }, meta(5)) as KnownEvent;
    const opened = createEvent('SalesOpened', { scheduleId: SCHEDULE, openedAt: NOW.toISOString(), bookingOpensAt: NOW.toISOString(), openedBy: ADMIN }, meta(6)) as KnownEvent;
    expect(saleWindowChangeOf(closed)).toEqual({ scheduleId: SCHEDULE.toLowerCase(), version: 5, salesClosed: true });
    expect(saleWindowChangeOf(opened)).toEqual({ scheduleId: SCHEDULE.toLowerCase(), version: 6, opensAt: NOW, salesClosed: false });
  });

  it('given a seat or price event, then nothing', () => {
    const priced = createEvent('SectionPriceChanged', { scheduleId: SCHEDULE, section: 'A', price: 1, previousPrice: null }, meta(7)) as KnownEvent;
    expect(saleWindowChangeOf(priced)).toBeNull();
  });
});
