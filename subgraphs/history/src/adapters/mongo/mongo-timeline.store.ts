import { MongoBulkWriteError, type Db } from '@ticketing/event-store';
import type { TimelineStore } from '../../application/ports';
import type { TimelineEntry } from '../../domain/booking-timeline';

export const TIMELINES_COLLECTION = 'booking_timelines';
const DUPLICATE_KEY = 11000;

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
      if (entries.length === 0) return;
      const documents = entries.map(({ eventId, at, ...rest }) => ({ _id: eventId, at: new Date(at), ...rest }));
      try {
        // Unordered: a line already written (a re-applied page) must not stop the ones after it.
        await lines.insertMany(documents, { ordered: false });
      } catch (error) {
        if (!(error instanceof MongoBulkWriteError)) throw error;
        const writeErrors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
        if (writeErrors.some((writeError) => writeError.code !== DUPLICATE_KEY)) throw error;
      }
    },

    async ofBooking(bookingId) {
      const documents = await lines.find({ bookingId }).sort({ position: 1 }).toArray();
      return documents.map(({ _id, at, ...rest }) => ({ eventId: _id, at: at.toISOString(), ...rest }));
    },
  };
  return store;
}
