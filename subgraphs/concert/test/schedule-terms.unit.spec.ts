import { randomUUID } from 'node:crypto';
import type { Schedule } from '../src/domain/catalog';
import { changeSchedule, DEFAULT_MAX_SEATS_PER_FAN, DEFAULT_REFUND_CUTOFF_HOURS, validateNewSchedule, validateScheduleChange } from '../src/domain/schedule-terms';

const now = new Date('2031-01-01T00:00:00Z');
const at = (iso: string) => new Date(iso);
const schedule: Schedule = {
  id: randomUUID(),
  concertId: randomUUID(),
  startsAt: at('2031-06-01T19:00:00Z'),
  bookingOpensAt: at('2031-05-01T10:00:00Z'),
  maxSeatsPerFan: 4,
  refundCutoffHours: 24,
};

describe('a new schedule', () => {
  it('given a future start, an opening before it and no cap or cutoff, then it is valid with the default cap and cutoff', () => {
    expect(validateNewSchedule({ startsAt: schedule.startsAt, bookingOpensAt: schedule.bookingOpensAt }, now)).toEqual({
      kind: 'Valid',
      terms: { startsAt: schedule.startsAt, bookingOpensAt: schedule.bookingOpensAt, maxSeatsPerFan: DEFAULT_MAX_SEATS_PER_FAN, refundCutoffHours: DEFAULT_REFUND_CUTOFF_HOURS },
    });
  });

  it('given an opening equal to the start, then it is valid', () => {
    expect(validateNewSchedule({ startsAt: schedule.startsAt, bookingOpensAt: schedule.startsAt, maxSeatsPerFan: 10 }, now)).toMatchObject({ kind: 'Valid' });
  });

  it('given an opening after the start, then it is refused on input.bookingOpensAt', () => {
    expect(validateNewSchedule({ startsAt: schedule.bookingOpensAt, bookingOpensAt: schedule.startsAt }, now)).toMatchObject({ kind: 'InvalidInput', field: 'input.bookingOpensAt' });
  });

  it('given a start that is not after now, then it is refused on input.startsAt', () => {
    expect(validateNewSchedule({ startsAt: now, bookingOpensAt: at('2030-12-01T00:00:00Z') }, now)).toMatchObject({ kind: 'InvalidInput', field: 'input.startsAt' });
  });

  it.each([0, 11, 2.5])('given a cap of %p seats per fan, then it is refused on input.maxSeatsPerFan', (maxSeatsPerFan) => {
    expect(validateNewSchedule({ startsAt: schedule.startsAt, bookingOpensAt: schedule.bookingOpensAt, maxSeatsPerFan }, now)).toMatchObject({
      kind: 'InvalidInput',
      field: 'input.maxSeatsPerFan',
    });
  });
});

describe('a schedule change', () => {
  it('given a cap out of range, then it is refused before the current terms are read', () => {
    expect(validateScheduleChange({ maxSeatsPerFan: 0 })).toMatchObject({ kind: 'InvalidInput', field: 'input.maxSeatsPerFan' });
  });

  it('given a later opening and the current cap, then ScheduleChanged carries only the opening', () => {
    const bookingOpensAt = at('2031-05-15T10:00:00Z');
    expect(changeSchedule(schedule, { bookingOpensAt, maxSeatsPerFan: 4 }, now)).toEqual({
      kind: 'ScheduleChanged',
      schedule: { ...schedule, bookingOpensAt },
      events: [{ type: 'ScheduleChanged', payload: { scheduleId: schedule.id, bookingOpensAt: '2031-05-15T10:00:00.000Z' } }],
    });
  });

  it('given the same instants as new Date objects, then the schedule is unchanged and there is no event', () => {
    expect(changeSchedule(schedule, { startsAt: new Date(schedule.startsAt.getTime()), bookingOpensAt: new Date(schedule.bookingOpensAt.getTime()) }, now)).toEqual({
      kind: 'ScheduleUnchanged',
      schedule,
    });
  });

  it('given a start moved before the current opening, then it is refused on input.startsAt', () => {
    expect(changeSchedule(schedule, { startsAt: at('2031-04-01T19:00:00Z') }, now)).toMatchObject({ kind: 'InvalidInput', field: 'input.startsAt' });
  });

  it('given an opening moved after the current start, then it is refused on input.bookingOpensAt', () => {
    expect(changeSchedule(schedule, { bookingOpensAt: at('2031-07-01T00:00:00Z') }, now)).toMatchObject({ kind: 'InvalidInput', field: 'input.bookingOpensAt' });
  });

  it('given both moved later together, then the merged terms are checked, not each against the old one', () => {
    const startsAt = at('2031-09-01T19:00:00Z');
    const bookingOpensAt = at('2031-08-01T10:00:00Z');
    expect(changeSchedule(schedule, { startsAt, bookingOpensAt }, now)).toMatchObject({ kind: 'ScheduleChanged', schedule: { startsAt, bookingOpensAt } });
  });

  it('given a start moved into the past, then it is refused on input.startsAt', () => {
    expect(changeSchedule(schedule, { startsAt: at('2030-12-31T00:00:00Z'), bookingOpensAt: at('2030-12-01T00:00:00Z') }, now)).toMatchObject({
      kind: 'InvalidInput',
      field: 'input.startsAt',
    });
  });
});

describe('the refund cutoff of a schedule', () => {
  it.each([-1, 8_761, 1.5])('given %p hours, then BAD_USER_INPUT on input.refundCutoffHours, for a new schedule and a change alike', (hours) => {
    expect(validateNewSchedule({ startsAt: schedule.startsAt, bookingOpensAt: schedule.bookingOpensAt, refundCutoffHours: hours }, now)).toMatchObject({ field: 'input.refundCutoffHours' });
    expect(validateScheduleChange({ refundCutoffHours: hours })).toMatchObject({ field: 'input.refundCutoffHours' });
  });

  it('given a new cutoff, then ScheduleChanged carries only it; given the same, then nothing changes', () => {
    expect(changeSchedule(schedule, { refundCutoffHours: 0 }, now)).toMatchObject({
      kind: 'ScheduleChanged',
      schedule: { refundCutoffHours: 0 },
      events: [{ type: 'ScheduleChanged', payload: { scheduleId: schedule.id, refundCutoffHours: 0 } }],
    });
    expect(changeSchedule(schedule, { refundCutoffHours: 24 }, now)).toEqual({ kind: 'ScheduleUnchanged', schedule });
  });
});
