import { bookingChangedSchema, bookingChannels, type KnownEvent } from '@ticketing/contracts';
import type { Redis } from '@ticketing/platform';
import type { BookingStatus } from '../../domain/booking';

/** The status a booking event leaves the booking in; RefundRequested changes no status. */
const STATUS_AFTER: Partial<Record<KnownEvent['type'], BookingStatus>> = {
  SeatsHeld: 'HELD',
  PaymentRequested: 'PAYMENT_PENDING',
  BookingConfirmed: 'CONFIRMED',
  BookingCancelled: 'CANCELLED',
  BookingExpired: 'EXPIRED',
  BookingRefunded: 'REFUNDED',
  SeatsComped: 'CONFIRMED',
};

/**
 * Turns booking events from Kafka into the small Redis message the gateway's bookingUpdated
 * subscribers listen for. No inbox: publishing twice is harmless (subscribers drop versions
 * they already have), so this path skips a database write per event.
 */
export function publishBookingChange(redis: Redis, keyPrefix: string) {
  return async (event: KnownEvent): Promise<void> => {
    const status = STATUS_AFTER[event.type];
    if (!status || event.stream.type !== 'booking') return;
    const message = bookingChangedSchema.parse({ bookingId: event.stream.id, status, version: event.streamVersion, at: event.occurredAt });
    await redis.publish(bookingChannels.booking(keyPrefix, message.bookingId), JSON.stringify(message));
  };
}
