import type { ContiguousInput, StoredEvent } from '@ticketing/event-store';
import type { TimelineEntry } from '../domain/booking-timeline';

/** What a projection reads: the store, by global position (never Kafka). */
export interface EventSource {
  readAll: (range: { after: number; limit: number }) => Promise<StoredEvent[]>;
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
