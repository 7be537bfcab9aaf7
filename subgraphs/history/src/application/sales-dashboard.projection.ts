import { parseEvent } from '@ticketing/contracts';
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

export const SALES_DASHBOARD = 'sales-dashboard';

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
  return {
    name: SALES_DASHBOARD,
    async apply(stored: readonly StoredEvent[]) {
      const events: Positioned[] = [];
      for (const event of stored) {
        const known = parseEvent(event);
        if (known.ok && isSalesEvent(known.value)) events.push({ position: event.globalPosition, event: known.value });
      }
      if (events.length === 0) return;

      const bookings = await rememberFacts(store, events);
      const bySchedule = new Map<string, Array<{ position: number; occurredAt: string; delta: SalesDelta }>>();
      for (const { position, event } of events) {
        const delta = salesDeltaOf(event, { booking: (id) => bookings.get(id) });
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

/**
 * The facts the batch's deltas are split by: seats it adds and prices it sets (stored), and every
 * booking it names, remembered from its hold (stored once; a stored one wins over a recomputation).
 */
async function rememberFacts(store: SalesStore, events: readonly Positioned[]): Promise<Map<string, BookingFact>> {
  const added: SeatFact[] = [];
  for (const { event } of events) {
    if (event.type === 'SeatsAdded') {
      for (const seat of event.payload.seats) {
        added.push({ seatId: seat.seatId, scheduleId: event.payload.scheduleId, section: seat.section, price: seat.price });
      }
    }
  }
  await store.rememberSeats(added);
  for (const { event } of events) {
    if (event.type === 'SectionPriceChanged') await store.changeSectionPrice(event.payload.scheduleId, event.payload.section, event.payload.price);
  }

  const bookingIds = [...new Set(events.map(({ event }) => bookingIdOf(event)).filter((id): id is string => id !== null))];
  const bookings = new Map((await store.bookings(bookingIds)).map((fact) => [fact.bookingId, fact]));
  const holds = events.flatMap(({ event }) => (event.type === 'SeatsHeld' && !bookings.has(event.payload.bookingId) ? [event.payload] : []));
  if (holds.length === 0) return bookings;

  const seats = new Map((await store.seats([...new Set(holds.flatMap((hold) => hold.seatIds))])).map((seat) => [seat.seatId, seat]));
  for (const seat of added) if (!seats.has(seat.seatId)) seats.set(seat.seatId, seat);
  const facts = holds.map((hold) => bookingFactOf(hold, (seatId) => seats.get(seatId)));
  await store.rememberBookings(facts);
  // Read back rather than trust our own: under a lapsed lease another writer's split may be the one stored.
  for (const fact of await store.bookings(facts.map((fact) => fact.bookingId))) bookings.set(fact.bookingId, fact);
  return bookings;
}
