import { SEATS_PER_EVENT, type CatalogSeat, type ConcertEventType, type EventPayload } from '@ticketing/contracts';

/** A catalog event as the domain decides it: what happened, before any envelope. */
export type CatalogEvent = { [T in ConcertEventType]: { type: T; payload: EventPayload<T> } }[ConcertEventType];

export interface NewConcert {
  id: string;
  title: string;
  artist: string;
  venue: string;
}

export interface NewSchedule {
  id: string;
  concertId: string;
  startsAt: Date;
  bookingOpensAt: Date;
  maxSeatsPerFan: number;
  refundCutoffHours: number;
}

export const concertCreated = (concert: NewConcert): CatalogEvent[] => [
  { type: 'ConcertCreated', payload: { concertId: concert.id, title: concert.title, artist: concert.artist, venue: concert.venue } },
];

export const scheduleCreated = (schedule: NewSchedule): CatalogEvent[] => [
  {
    type: 'ScheduleCreated',
    payload: {
      scheduleId: schedule.id,
      concertId: schedule.concertId,
      startsAt: schedule.startsAt.toISOString(),
      bookingOpensAt: schedule.bookingOpensAt.toISOString(),
      maxSeatsPerFan: schedule.maxSeatsPerFan,
      refundCutoffHours: schedule.refundCutoffHours,
    },
  },
];

/** New seats of a schedule: one `SeatsAdded` per SEATS_PER_EVENT seats, so no event outgrows a Kafka message. */
export function seatsAdded(scheduleId: string, seats: readonly CatalogSeat[]): CatalogEvent[] {
  const events: CatalogEvent[] = [];
  for (let start = 0; start < seats.length; start += SEATS_PER_EVENT) {
    events.push({ type: 'SeatsAdded', payload: { scheduleId, seats: seats.slice(start, start + SEATS_PER_EVENT) } });
  }
  return events;
}
