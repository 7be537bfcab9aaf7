import { randomUUID } from 'node:crypto';
import { SEATS_PER_EVENT } from '@ticketing/contracts';
import { concertCreated, scheduleCreated, seatsAdded } from '../src/domain/catalog-events';

const seat = (number: number) => ({ seatId: randomUUID(), section: 'A', row: '1', number, price: 99_000 });

describe('catalog events', () => {
  it('given a new concert, then it is one ConcertCreated with its title, artist and venue', () => {
    const concert = { id: randomUUID(), title: 'Midnight Aurora Tour', artist: 'Seoul Lights', venue: 'KSPO Dome, Seoul' };
    expect(concertCreated(concert)).toEqual([{ type: 'ConcertCreated', payload: { concertId: concert.id, title: concert.title, artist: concert.artist, venue: concert.venue } }]);
  });

  it('given a new schedule, then it is one ScheduleCreated with its times as ISO strings, its seat limit and its refund cutoff', () => {
    const schedule = { id: randomUUID(), concertId: randomUUID(), startsAt: new Date('2031-06-01T19:00:00Z'), bookingOpensAt: new Date('2031-05-01T10:00:00Z'), maxSeatsPerFan: 4, refundCutoffHours: 24 };
    expect(scheduleCreated(schedule)).toEqual([
      {
        type: 'ScheduleCreated',
        payload: { scheduleId: schedule.id, concertId: schedule.concertId, startsAt: '2031-06-01T19:00:00.000Z', bookingOpensAt: '2031-05-01T10:00:00.000Z', maxSeatsPerFan: 4, refundCutoffHours: 24 },
      },
    ]);
  });

  it(`given more seats than one event carries (${SEATS_PER_EVENT}), then they are split into SeatsAdded events in order, none lost`, () => {
    const scheduleId = randomUUID();
    const seats = Array.from({ length: 2 * SEATS_PER_EVENT + 1 }, (_, i) => seat(i + 1));

    const events = seatsAdded(scheduleId, seats);

    expect(events.map((event) => event.type === 'SeatsAdded' && event.payload.seats.length)).toEqual([SEATS_PER_EVENT, SEATS_PER_EVENT, 1]);
    expect(events.flatMap((event) => (event.type === 'SeatsAdded' ? event.payload.seats : []))).toEqual(seats);
  });

  it('given no seats, then there is no event', () => {
    expect(seatsAdded(randomUUID(), [])).toEqual([]);
  });
});
