import type { StoredEvent } from '@ticketing/event-store';
import { timelineEntryFor, type TimelineEntry } from '../domain/booking-timeline';
import type { Projection, TimelineStore } from './ports';
import { knownEventOf } from './known-event';

export const BOOKING_TIMELINE = 'booking-timeline';

/**
 * Folds booking, payment and refund events into one line each. Events of other kinds, and any a
 * newer producer wrote that this version cannot read, add nothing: a timeline never blocks the
 * projection behind an event it has no line for.
 */
export function bookingTimelineProjection(timelines: TimelineStore): Projection {
  return {
    name: BOOKING_TIMELINE,
    async apply(events: readonly StoredEvent[]) {
      const entries: TimelineEntry[] = [];
      for (const event of events) {
        const known = knownEventOf(event);
        const entry = known.ok ? timelineEntryFor(known.value, event.globalPosition) : null;
        if (entry) entries.push(entry);
      }
      await timelines.add(entries);
    },
  };
}
