import type { Booking, BookingTransition } from '../domain/booking';

/** A booking as readers see it: its state plus when it was made and every status it has had. */
export interface BookingDetails extends Booking {
  createdAt: Date;
  /** Oldest first. */
  history: readonly BookingTransition[];
}

/** Keyset position in a user's bookings, ordered newest first by (createdAt, id). */
export interface BookingCursor {
  createdAt: Date;
  id: string;
}

/** Reads of bookings. Writes arrive with the saga (hold, pay, cancel, expire). */
export interface BookingStore {
  /** Any order; unknown ids are simply absent. */
  findByIds(ids: readonly string[]): Promise<BookingDetails[]>;
  /** The user's bookings after `after`, newest first, at most `first`. */
  listByUser(query: { userId: string; first: number; after: BookingCursor | null }): Promise<{
    bookings: BookingDetails[];
    hasNextPage: boolean;
  }>;
}
