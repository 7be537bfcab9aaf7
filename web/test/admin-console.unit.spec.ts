import { csvFileName, exportPath, filtersFrom, isoFromLocalInput, localInputFromIso, NO_FILTERS } from '../src/admin/bookings.model';
import { keepChoosable, parseRows, seatActions, toggleAdminSeat } from '../src/admin/seat-actions.model';
import type { MapSeat } from '../src/fan/seat-map.model';
import { waitingRoomState } from '../src/fan/waiting-room.model';

const seat = (id: string, status: MapSeat['status']): MapSeat => ({ id, section: 'Floor', row: 'A', number: Number(id.replace(/\D/g, '') || 1), price: 50_000, status });

describe('the bookings export', () => {
  const takenAt = new Date('2030-05-01T19:30:45Z');

  it('names the file after the schedule, the status filter and the minute it was taken (UTC)', () => {
    expect(csvFileName('3f1c-77aa', {}, takenAt)).toBe('bookings-3f1c-77aa-all-20300501-1930.csv');
    expect(csvFileName('3f1c-77aa', { status: 'PAYMENT_PENDING' }, takenAt)).toBe('bookings-3f1c-77aa-paymentpending-20300501-1930.csv');
    expect(csvFileName('3f1c', { status: 'CONFIRMED', userId: 'u-1' }, takenAt)).toBe('bookings-3f1c-confirmed-one-fan-20300501-1930.csv');
  });

  it('keeps only letters, digits and dashes in the name, whatever the id holds', () => {
    expect(csvFileName('../evil id"', {}, takenAt)).toBe('bookings-evilid-all-20300501-1930.csv');
  });

  it('asks the export for the same filters as the list, encoded, and nothing for filters not given', () => {
    expect(exportPath('s 1', {})).toBe('/exports/schedule-bookings.csv?scheduleId=s+1');
    expect(exportPath('s1', { status: 'CONFIRMED', createdFrom: '2030-05-01T10:00:00.000Z' })).toBe(
      '/exports/schedule-bookings.csv?scheduleId=s1&status=CONFIRMED&createdFrom=2030-05-01T10%3A00%3A00.000Z',
    );
  });

  it('turns the filter form into API variables: empty means any, ids trimmed, local times as UTC instants', () => {
    expect(filtersFrom(NO_FILTERS)).toEqual({});
    const local = '2030-05-01T19:30';
    expect(filtersFrom({ status: 'REFUNDED', userId: '  u-7 ', createdFrom: local, createdBefore: 'not a time' })).toEqual({
      status: 'REFUNDED',
      userId: 'u-7',
      createdFrom: new Date(local).toISOString(),
    });
  });

  it('reads datetime-local values and writes them back to the minute', () => {
    const iso = isoFromLocalInput('2030-05-01T19:30');
    expect(localInputFromIso(iso)).toBe('2030-05-01T19:30');
    expect(isoFromLocalInput('')).toBe('');
  });
});

describe('choosing seats on the admin map', () => {
  const seats = [seat('s1', 'AVAILABLE'), seat('s2', 'BLOCKED'), seat('s3', 'SOLD'), seat('s4', 'HELD')];

  it('given available and blocked seats, when chosen, then they are; held and sold seats belong to fans and are not', () => {
    const chosen = seats.reduce<readonly string[]>((selection, s) => toggleAdminSeat(selection, s), []);
    expect(chosen).toEqual(['s1', 's2']);
    expect(toggleAdminSeat(chosen, seats[0]!)).toEqual(['s2']);
  });

  it('splits the choice into seats to block and blocked seats to release or comp', () => {
    expect(seatActions(seats, ['s1', 's2'])).toEqual({ toBlock: ['s1'], blocked: ['s2'] });
  });

  it('drops a chosen seat a fan took meanwhile, and keeps the same selection when nothing changed', () => {
    const selection = ['s1', 's2'];
    expect(keepChoosable(selection, seats)).toBe(selection);
    expect(keepChoosable(selection, [seat('s1', 'HELD'), seat('s2', 'BLOCKED')])).toEqual(['s2']);
  });

  it('reads rows as lists and ranges of letters or numbers', () => {
    expect(parseRows('A, B ,C')).toEqual(['A', 'B', 'C']);
    expect(parseRows('A-C, 1-3')).toEqual(['A', 'B', 'C', '1', '2', '3']);
    expect(parseRows('AA, C-A, ,')).toEqual(['AA', 'C-A']);
  });
});

describe('the waiting room, paused by an admin', () => {
  it('given a WAITING ticket with a position but no estimate (paused or sales closed), then the line is held still and the fan keeps the number', () => {
    expect(waitingRoomState({ status: 'WAITING', position: 3, estimatedWaitSeconds: null }, new Date())).toEqual({ kind: 'paused', position: 3 });
  });
});
