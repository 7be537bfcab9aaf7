import { bookingChangedSchema, bookingChannels, type EventEnvelope, type KnownEvent } from '@ticketing/contracts';
import type { Redis } from '@ticketing/platform';
import type { BookingStatus } from '../../domain/booking';

/** The status a booking event leaves the booking in; RefundRequested changes no status. */
const STATUS_AFTER = new Map<string, BookingStatus>(
  Object.entries({
    SeatsHeld: 'HELD',
    PaymentRequested: 'PAYMENT_PENDING',
    BookingConfirmed: 'CONFIRMED',
    BookingCancelled: 'CANCELLED',
    BookingExpired: 'EXPIRED',
    BookingRefunded: 'REFUNDED',
    SeatsComped: 'CONFIRMED',
  } satisfies Partial<Record<KnownEvent['type'], BookingStatus>>),
);

/**
 * Turns booking events from Kafka into the small Redis message the gateway's bookingUpdated
 * subscribers listen for. No inbox: publishing twice is harmless (subscribers drop versions
 * they already have), so this path skips a database write per event. It reads the envelope
 * alone (type, stream, version, time): booking wrote these events and checked their payloads
 * then, and checking them again was a schema walk per event for fields nobody reads here.
 *
 * A booking's first event (version 0: the hold, or an admin's comp) is not published: nobody can
 * be listening for it. A subscriber needs the booking's id, which only the answer of the command
 * that created it gives, and its first read already finds that version, so the message would be
 * dropped as not newer (issue 10: one Redis publish per hold, to no one).
 */
export function publishBookingChange(redis: Redis, keyPrefix: string) {
  return async (event: EventEnvelope): Promise<void> => {
    const status = STATUS_AFTER.get(event.type);
    if (!status || event.stream.type !== 'booking' || event.streamVersion === 0) return;
    const message = bookingChangedSchema.parse({ bookingId: event.stream.id, status, version: event.streamVersion, at: event.occurredAt });
    await redis.publish(bookingChannels.booking(keyPrefix, message.bookingId), JSON.stringify(message));
  };
}
