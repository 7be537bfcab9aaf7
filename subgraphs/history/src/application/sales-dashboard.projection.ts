import { LRUCache } from 'lru-cache';
import type { StoredEvent } from '@ticketing/event-store';
import {
  bookingFactOf,
  isSalesEvent,
  salesDeltaOf,
  sumDeltas,
  type BookingFact,
  type SalesDelta,
  type SalesEvent,
  type SeatFact,
} from '../domain/sales-dashboard';
import type { Projection, SalesNotifier, SalesStore } from './ports';
import { knownEventOf } from './known-event';

export const SALES_DASHBOARD = 'sales-dashboard';

/**
 * Facts kept in memory by the projection: a booking's split never changes once stored, and a
 * seat only by a price change this projection applies itself (it is the one writer, by lease).
 * Enough for the bookings of a busy on-sale's holds to be confirmed or expired from memory:
 * a look-up by ids is a collection scan on FerretDB.
 */
const CACHED_FACTS = 100_000;

interface Positioned {
  position: number;
  event: SalesEvent;
}

const bookingIdOf = (event: SalesEvent): string | null => ('bookingId' in event.payload ? event.payload.bookingId : null);

/**
 * Sales per schedule from the store. Each batch: remember the seats it adds and the holds' splits
 * (written once, so a re-applied batch reads its first answers), then one compare-and-set write
 * per schedule of the deltas of the events past that dashboard's position. A batch re-applied
 * after a crash therefore adds nothing twice, whatever the page boundaries were the first time.
 */
export function salesDashboardProjection(store: SalesStore, notifier: SalesNotifier): Projection {
  const facts: FactCache = { bookings: new LRUCache({ max: CACHED_FACTS }), seats: new LRUCache({ max: CACHED_FACTS }) };
  return {
    name: SALES_DASHBOARD,
    async apply(stored: readonly StoredEvent[]) {
      const events: Positioned[] = [];
      for (const event of stored) {
        const known = knownEventOf(event);
        if (known.ok && isSalesEvent(known.value)) events.push({ position: event.globalPosition, event: known.value });
      }
      if (events.length === 0) return;

      const { bookings, seats } = await rememberFacts(store, facts, events);
      const bySchedule = new Map<string, Array<{ position: number; occurredAt: string; delta: SalesDelta }>>();
      for (const { position, event } of events) {
        const delta = salesDeltaOf(event, { booking: (id) => bookings.get(id), seat: (id) => seats.get(id) });
        if (!delta) continue;
        const list = bySchedule.get(delta.scheduleId) ?? [];
        list.push({ position, occurredAt: event.occurredAt, delta });
        bySchedule.set(delta.scheduleId, list);
      }

      const positions = await store.positions([...bySchedule.keys()]);
      const changed: Array<{ scheduleId: string; asOfPosition: number }> = [];
      for (const [scheduleId, list] of bySchedule) {
        const from = positions.get(scheduleId) ?? null;
        const fresh = list.filter((entry) => from === null || entry.position > from);
        if (fresh.length === 0) continue;
        const last = fresh.at(-1)!;
        const outcome = await store.applyDelta(
          sumDeltas(
            scheduleId,
            fresh.map((entry) => entry.delta),
          ),
          from,
          { position: last.position, updatedAt: last.occurredAt },
        );
        // Only the lease holder writes; a moved dashboard means another one wrote meanwhile. The runner retries the page.
        if (outcome === 'Moved') throw new Error(`sales dashboard ${scheduleId} moved past position ${from ?? 'none'} during this batch`);
        changed.push({ scheduleId, asOfPosition: last.position });
      }
      if (changed.length > 0) await notifier.changed(changed);
    },
  };
}

interface FactCache {
  bookings: LRUCache<string, BookingFact>;
  seats: LRUCache<string, SeatFact>;
}

/** Ids found in the cache, and what it lacks to read from the store (then cached). */
async function lookUp<T extends object>(cache: LRUCache<string, T>, ids: readonly string[], idOf: (fact: T) => string, read: (ids: readonly string[]) => Promise<T[]>) {
  const found = new Map<string, T>();
  const missing: string[] = [];
  for (const id of new Set(ids)) {
    const cached = cache.get(id);
    if (cached) found.set(id, cached);
    else missing.push(id);
  }
  for (const fact of await read(missing)) {
    cache.set(idOf(fact), fact);
    found.set(idOf(fact), fact);
  }
  return found;
}

/**
 * The facts the batch's deltas are split by: seats it adds and prices it sets (stored), and every
 * booking it names, remembered from its hold (stored once; a stored one wins over a recomputation).
 */
async function rememberFacts(
  store: SalesStore,
  cache: FactCache,
  events: readonly Positioned[],
): Promise<{ bookings: Map<string, BookingFact>; seats: Map<string, SeatFact> }> {
  const added: SeatFact[] = [];
  for (const { event } of events) {
    if (event.type === 'SeatsAdded') {
      for (const seat of event.payload.seats) {
        added.push({ seatId: seat.seatId, scheduleId: event.payload.scheduleId, section: seat.section, price: seat.price });
      }
    }
  }
  await store.rememberSeats(added);
  for (const seat of added) if (!cache.seats.has(seat.seatId)) cache.seats.set(seat.seatId, seat);
  for (const { event } of events) {
    if (event.type !== 'SectionPriceChanged') continue;
    const { scheduleId, section, price } = event.payload;
    await store.changeSectionPrice(scheduleId, section, price);
    for (const [seatId, seat] of cache.seats.entries()) {
      if (seat.scheduleId === scheduleId && seat.section === section) cache.seats.set(seatId, { ...seat, price });
    }
  }

  // Holds (and comps, free) first, without a look-up: the insert itself says whether a split was stored already.
  const bookings = new Map<string, BookingFact>();
  const starts = events.flatMap(({ event }) =>
    event.type === 'SeatsHeld' ? [event.payload] : event.type === 'SeatsComped' ? [{ ...event.payload, amount: 0 }] : [],
  );
  const holds = starts.filter((hold) => {
    const cached = cache.bookings.get(hold.bookingId);
    if (cached) bookings.set(hold.bookingId, cached);
    return !cached;
  });
  if (holds.length > 0) {
    const seatsOfHolds = await lookUp(cache.seats, holds.flatMap((hold) => hold.seatIds), (seat) => seat.seatId, (ids) => store.seats(ids));
    const computed = holds.map((hold) => bookingFactOf(hold, (seatId) => seatsOfHolds.get(seatId)));
    const { duplicates } = await store.rememberBookings(computed);
    // Stored already (a page re-applied after a crash, or a writer whose lease lapsed): the stored split wins.
    const stored = duplicates > 0 ? await store.bookings(computed.map((fact) => fact.bookingId)) : computed;
    for (const fact of stored) {
      cache.bookings.set(fact.bookingId, fact);
      bookings.set(fact.bookingId, fact);
    }
  }
  // Then the bookings the batch's other events name, held in an earlier batch.
  const earlier = events.map(({ event }) => bookingIdOf(event)).filter((id): id is string => id !== null && !bookings.has(id));
  for (const [id, fact] of await lookUp(cache.bookings, earlier, (fact) => fact.bookingId, (ids) => store.bookings(ids))) bookings.set(id, fact);
  // Blocks name seats, not a booking: their sections come from the seat facts.
  const blocked = events.flatMap(({ event }) => (event.type === 'SeatsBlocked' || event.type === 'SeatsReleased' ? event.payload.seatIds : []));
  const seats = await lookUp(cache.seats, blocked, (seat) => seat.seatId, (ids) => store.seats(ids));
  return { bookings, seats };
}
