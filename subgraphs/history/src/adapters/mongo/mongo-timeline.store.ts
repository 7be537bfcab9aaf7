import type { Db } from '@ticketing/event-store';
import type { TimelineStore } from '../../application/ports';
import type { TimelineEntry } from '../../domain/booking-timeline';
import { insertOnce } from './insert-once';

export const TIMELINES_COLLECTION = 'booking_timelines';

interface TimelineDocument extends Omit<TimelineEntry, 'eventId' | 'at'> {
  /** The eventId: the primary key is the fence that makes a re-applied event a no-op. */
  _id: string;
  at: Date;
}

/** One document per timeline line in `booking_timelines` of the event-store database. */
export function createMongoTimelineStore(db: Db) {
  const lines = db.collection<TimelineDocument>(TIMELINES_COLLECTION);
  const store: TimelineStore & { ensureIndexes: () => Promise<void> } = {
    async ensureIndexes() {
      await lines.createIndex({ bookingId: 1, position: 1 }, { name: 'booking_position' });
    },

    async add(entries) {
      await insertOnce(
        lines,
        entries.map(({ eventId, at, ...rest }) => ({ _id: eventId, at: new Date(at), ...rest })),
      );
    },

    async ofBooking(bookingId) {
      const documents = await lines.find({ bookingId }).sort({ position: 1 }).toArray();
      return documents.map(({ _id, at, ...rest }) => ({ eventId: _id, at: at.toISOString(), ...rest }));
    },
  };
  return store;
}
