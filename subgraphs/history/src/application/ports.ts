import type { ContiguousInput, StoredEvent } from '@ticketing/event-store';
import type { TimelineEntry } from '../domain/booking-timeline';
import type { BookingFact, SalesDashboard, SalesDelta, SeatFact } from '../domain/sales-dashboard';

/** What a projection reads: the store, by global position (never Kafka). */
export interface EventSource {
  /** `upTo`: the high-water mark read before; the store may then answer from what it appended itself. */
  readAll: (range: { after: number; limit: number; upTo?: number }) => Promise<StoredEvent[]>;
  /** Every position up to it is reserved; read before the page (see `takeContiguous`). */
  highWaterMark: () => Promise<ContiguousInput<StoredEvent>['highWaterMark']>;
}

/** The last position a projection has applied, per projection. */
export interface CheckpointStore {
  load: (projection: string) => Promise<number>;
  save: (projection: string, position: number) => Promise<void>;
}

/**
 * The right to run one projection, held by one instance at a time. It expires unless renewed,
 * so a crashed holder frees it; a holder that paused past its lifetime may still write once,
 * which is why every projection's apply is idempotent.
 */
export interface Lease {
  acquire: () => Promise<boolean>;
  /** False when the lease lapsed or another instance holds it now. */
  renew: () => Promise<boolean>;
  release: () => Promise<void>;
}

/** A read model built from the store. `apply` must be idempotent: a crash before the checkpoint is saved re-applies. */
export interface Projection {
  name: string;
  apply: (events: readonly StoredEvent[]) => Promise<void>;
}

/** Booking timelines: one line per event, keyed by eventId, so a second write of a line is a no-op. */
export interface TimelineStore {
  add: (entries: readonly TimelineEntry[]) => Promise<void>;
  ofBooking: (bookingId: string) => Promise<TimelineEntry[]>;
}

/** The sales dashboards' read model, and the seat and booking facts it remembers to split them by section. */
export interface SalesStore {
  /** Seats as added; one already remembered is left as it is (a re-applied page). */
  rememberSeats: (seats: readonly SeatFact[]) => Promise<unknown>;
  changeSectionPrice: (scheduleId: string, section: string, price: number) => Promise<void>;
  seats: (seatIds: readonly string[]) => Promise<SeatFact[]>;
  /** Bookings' splits, written once: the first one stays. Says how many were there already. */
  rememberBookings: (bookings: readonly BookingFact[]) => Promise<{ duplicates: number }>;
  bookings: (bookingIds: readonly string[]) => Promise<BookingFact[]>;
  /** The position each existing dashboard is up to date with. */
  positions: (scheduleIds: readonly string[]) => Promise<Map<string, number>>;
  /**
   * Adds a batch's deltas to one dashboard, only if it is still at `from` (null: not created yet),
   * moving it to `to`; 'Moved' when another writer changed it meanwhile, and nothing was written.
   */
  applyDelta: (delta: SalesDelta, from: number | null, to: { position: number; updatedAt: string }) => Promise<'Applied' | 'Moved'>;
  dashboard: (scheduleId: string) => Promise<SalesDashboard | null>;
}

/** Tells live subscribers (the gateway's salesUpdated) which dashboards moved, and to where. */
export interface SalesNotifier {
  changed: (changes: ReadonlyArray<{ scheduleId: string; asOfPosition: number }>) => Promise<void>;
}
