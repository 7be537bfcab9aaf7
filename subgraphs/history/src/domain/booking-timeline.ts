import { SERVICES, type AggregateType, type KnownEvent } from '@ticketing/contracts';

/**
 * One line of a booking's timeline: what happened to it, told by the service that did it.
 * Keyed by the event that caused it, so applying an event twice can never make two lines.
 */
export interface TimelineEntry {
  eventId: string;
  bookingId: string;
  /** The fan the booking belongs to (every booking and payment event names them). */
  ownerId: string;
  /** The event's global position in the store: breaks ties between lines of the same instant. */
  position: number;
  /** When it happened, by the producer's clock (ISO-8601). */
  at: string;
  type: string;
  /** The service that published the event. */
  service: string;
  summary: string;
}

const money = (amount: number) => amount.toLocaleString('en-US');
const seats = (count: number) => `${count} seat${count === 1 ? '' : 's'}`;

/** The service whose events travel on an aggregate type's stream (the registry says who publishes what). */
export function publisherOf(aggregateType: AggregateType): string {
  return SERVICES.find((service) => service.aggregates.includes(aggregateType))?.name ?? aggregateType;
}

/**
 * A sentence for a person reading the timeline. Seat labels (A-1-3) are not in the events yet,
 * only seat ids, so seats are counted rather than named.
 */
export function summarize(event: BookingTimelineEvent): string {
  switch (event.type) {
    case 'SeatsHeld':
      return `${seats(event.payload.seatIds.length)} held for ${money(event.payload.amount)}`;
    case 'PaymentRequested':
      return `Payment of ${money(event.payload.amount)} requested`;
    case 'BookingConfirmed':
      return `Booking confirmed: ${seats(event.payload.seatIds.length)} for ${money(event.payload.amount)}`;
    case 'BookingCancelled':
      return `Booking cancelled: ${event.payload.reason}`;
    case 'BookingExpired':
      return `Hold expired: ${seats(event.payload.seatIds.length)} released`;
    case 'RefundRequested':
      return `Refund of ${money(event.payload.amount)} requested: ${event.payload.reason}`;
    case 'SeatsComped':
      return `Complimentary: ${seats(event.payload.seatIds.length)} booked by an admin for a guest`;
    case 'BookingRefunded':
      return `Booking refunded (${event.payload.refundedBy === 'ADMIN' ? 'by an admin' : "at the fan's request"}): ${seats(event.payload.seatIds.length)} back on sale, ${money(event.payload.amount)} to return: ${event.payload.reason}`;
    case 'PaymentCompleted':
      return `Payment completed: ${money(event.payload.amount)}`;
    case 'PaymentFailed':
      return `Payment failed: ${event.payload.reason}`;
    case 'PaymentRefunded':
      return `Payment refunded: ${money(event.payload.amount)}`;
  }
}

const TIMELINE_TYPES = [
  'SeatsHeld',
  'PaymentRequested',
  'BookingConfirmed',
  'BookingCancelled',
  'BookingExpired',
  'RefundRequested',
  'BookingRefunded',
  'SeatsComped',
  'PaymentCompleted',
  'PaymentFailed',
  'PaymentRefunded',
] as const;
type TimelineType = (typeof TIMELINE_TYPES)[number];
/** The booking, payment and refund events: each names its booking and the fan. */
export type BookingTimelineEvent = Extract<KnownEvent, { type: TimelineType }>;

export const isTimelineEvent = (event: KnownEvent): event is BookingTimelineEvent => (TIMELINE_TYPES as readonly string[]).includes(event.type);

/** The projection's fold, one event at a time: the line it adds, or null for events of no booking. */
export function timelineEntryFor(event: KnownEvent, position: number): TimelineEntry | null {
  if (!isTimelineEvent(event)) return null;
  return {
    eventId: event.eventId,
    bookingId: event.payload.bookingId,
    ownerId: event.payload.userId,
    position,
    at: event.occurredAt,
    type: event.type,
    service: publisherOf(event.stream.type),
    summary: summarize(event),
  };
}

/**
 * Oldest first by when it happened: two services' events reach the archive through different
 * topics, so archive order (position) can put a consequence before its cause; it breaks ties.
 */
const inTimeOrder = (a: TimelineEntry, b: TimelineEntry) => Date.parse(a.at) - Date.parse(b.at) || a.position - b.position;

export type TimelineAccess =
  | { kind: 'Visible'; entries: TimelineEntry[] }
  /** Nothing recorded for this id (yet): there is nothing to show, and nothing to hide. */
  | { kind: 'NothingRecorded' }
  | { kind: 'NotYours' };

/**
 * Who may read a booking's timeline: its owner and admins. The owner is the fan the booking's
 * own events name (its first booking-stream line; a payment line names the same payer).
 */
export function decideTimelineAccess(viewer: { userId: string; isAdmin: boolean }, entries: readonly TimelineEntry[]): TimelineAccess {
  if (entries.length === 0) return { kind: 'NothingRecorded' };
  const owner = (entries.find((entry) => entry.service === publisherOf('booking')) ?? entries[0]!).ownerId;
  if (viewer.isAdmin || owner === viewer.userId) return { kind: 'Visible', entries: [...entries].sort(inTimeOrder) };
  return { kind: 'NotYours' };
}
