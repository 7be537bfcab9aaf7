import type { Db } from '@ticketing/event-store';
import type { SalesStore } from '../../application/ports';
import { emptyCounters, type BookingFact, type SalesCounters, type SectionCounters } from '../../domain/sales-dashboard';
import { insertOnce, isDuplicateKey } from './insert-once';

export const SALES_DASHBOARDS_COLLECTION = 'sales_dashboards';
export const SALES_SEATS_COLLECTION = 'sales_seats';
export const SALES_BOOKINGS_COLLECTION = 'sales_bookings';

interface SectionDocument extends Partial<SectionCounters> {
  section: string;
}

interface DashboardDocument {
  /** The schedule id. */
  _id: string;
  totals: Partial<SalesCounters>;
  /** Keyed by `sectionKey`: a section's name may hold characters a field path cannot (`.`, a leading `$`). */
  sections: Record<string, SectionDocument>;
  asOfPosition: number;
  updatedAt: Date;
}

interface SeatDocument {
  /** The seat id. */
  _id: string;
  scheduleId: string;
  section: string;
  price: number;
}

interface BookingDocument {
  /** The booking id. */
  _id: string;
  scheduleId: string;
  sections: BookingFact['sections'];
}

/** A field name for any section: hex of its UTF-8 bytes. */
export const sectionKey = (section: string) => `s${Buffer.from(section, 'utf8').toString('hex')}`;

/**
 * The sales dashboards (`sales_dashboards`, one document per schedule) and the facts they are
 * split by: seats (`sales_seats`) and bookings (`sales_bookings`), all in the event-store
 * database. A dashboard moves by `$inc` under a compare-and-set on its position, so a batch is
 * applied to it once or not at all, whoever else writes.
 */
export function createMongoSalesStore(db: Db) {
  const dashboards = db.collection<DashboardDocument>(SALES_DASHBOARDS_COLLECTION);
  const seats = db.collection<SeatDocument>(SALES_SEATS_COLLECTION);
  const bookings = db.collection<BookingDocument>(SALES_BOOKINGS_COLLECTION);

  const store: SalesStore & { ensureIndexes: () => Promise<void> } = {
    async ensureIndexes() {
      await seats.createIndex({ scheduleId: 1, section: 1 }, { name: 'schedule_section' });
    },

    rememberSeats: (facts) => insertOnce(seats, facts.map(({ seatId, ...rest }) => ({ _id: seatId, ...rest }))),

    async changeSectionPrice(scheduleId, section, price) {
      await seats.updateMany({ scheduleId, section }, { $set: { price } });
    },

    async seats(seatIds) {
      if (seatIds.length === 0) return [];
      const found = await seats.find({ _id: { $in: [...seatIds] } }).toArray();
      return found.map(({ _id, ...rest }) => ({ seatId: _id, ...rest }));
    },

    rememberBookings: (facts) => insertOnce(bookings, facts.map(({ bookingId, ...rest }) => ({ _id: bookingId, ...rest }))),

    async bookings(bookingIds) {
      if (bookingIds.length === 0) return [];
      const found = await bookings.find({ _id: { $in: [...bookingIds] } }).toArray();
      return found.map(({ _id, ...rest }) => ({ bookingId: _id, ...rest }));
    },

    async positions(scheduleIds) {
      if (scheduleIds.length === 0) return new Map();
      const found = await dashboards.find({ _id: { $in: [...scheduleIds] } }, { projection: { asOfPosition: 1 } }).toArray();
      return new Map(found.map((document) => [document._id, document.asOfPosition]));
    },

    async applyDelta(delta, from, to) {
      const updatedAt = new Date(to.updatedAt);
      if (from === null) {
        // The first write creates the document; a concurrent first write loses on the primary key.
        const sections = Object.fromEntries(
          Object.entries(delta.sections).map(([section, counters]) => [sectionKey(section), { section, ...counters }]),
        );
        try {
          await dashboards.insertOne({ _id: delta.scheduleId, totals: delta.totals, sections, asOfPosition: to.position, updatedAt });
          return 'Applied';
        } catch (error) {
          if (isDuplicateKey(error)) return 'Moved';
          throw error;
        }
      }
      const increments: Record<string, number> = {};
      const names: Record<string, string> = {};
      for (const [field, value] of Object.entries(delta.totals)) if (value) increments[`totals.${field}`] = value;
      for (const [section, counters] of Object.entries(delta.sections)) {
        const key = sectionKey(section);
        names[`sections.${key}.section`] = section;
        for (const [field, value] of Object.entries(counters)) if (value) increments[`sections.${key}.${field}`] = value;
      }
      const result = await dashboards.updateOne(
        { _id: delta.scheduleId, asOfPosition: from },
        { ...(Object.keys(increments).length > 0 ? { $inc: increments } : {}), $set: { ...names, asOfPosition: to.position, updatedAt } },
      );
      return result.matchedCount === 1 ? 'Applied' : 'Moved';
    },

    async dashboard(scheduleId) {
      const document = await dashboards.findOne({ _id: scheduleId });
      if (!document) return null;
      const zero = emptyCounters();
      return {
        ...zero,
        ...document.totals,
        scheduleId: document._id,
        bySection: Object.values(document.sections)
          .map(({ section, ...counters }) => ({
            section,
            seatsTotal: counters.seatsTotal ?? 0,
            seatsHeld: counters.seatsHeld ?? 0,
            seatsSold: counters.seatsSold ?? 0,
            seatsBlocked: counters.seatsBlocked ?? 0,
            revenue: counters.revenue ?? 0,
          }))
          .sort((a, b) => a.section.localeCompare(b.section)),
        asOfPosition: document.asOfPosition,
        updatedAt: document.updatedAt.toISOString(),
      };
    },
  };
  return store;
}
