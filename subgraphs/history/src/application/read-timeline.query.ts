import { decideTimelineAccess, type TimelineAccess } from '../domain/booking-timeline';
import type { TimelineStore } from './ports';

/** A booking's timeline as the viewer may see it (the decision is the domain's). */
export function readTimeline(timelines: TimelineStore) {
  return async (viewer: { userId: string; isAdmin: boolean }, bookingId: string): Promise<TimelineAccess> =>
    decideTimelineAccess(viewer, await timelines.ofBooking(bookingId));
}
