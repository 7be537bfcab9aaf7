import { randomBytes, randomUUID } from 'node:crypto';
import { createEvent, type EventEnvelope } from '@ticketing/contracts';
import { DEFAULT_EVENT_STORE_URL, withDatabase } from '@ticketing/event-store';
import { createLogger } from '@ticketing/platform';

export const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
export const quietLogger = () => createLogger('history-spec', 'silent');

/** A store database of its own for one spec file, on the run's store server; the spec drops it. */
export const specStoreUrl = (label: string) => withDatabase(process.env['EVENT_STORE_URL'] ?? DEFAULT_EVENT_STORE_URL, `spec_history_${label}_${randomBytes(4).toString('hex')}`);

/** A paid booking's four events as booking and payment publish them: held, payment requested, paid, confirmed. */
export function paidBookingEvents(now = new Date('2026-12-03T10:00:00Z')): EventEnvelope[] {
  const bookingId = randomUUID();
  const userId = randomUUID();
  const paymentId = randomUUID();
  const scheduleId = randomUUID();
  const seatIds = [randomUUID(), randomUUID()];
  const meta = (streamId: string, streamVersion: number) => ({ eventId: randomUUID(), streamId, streamVersion, now, correlationId: `spec-${bookingId}` });
  return [
    createEvent('SeatsHeld', { bookingId, userId, scheduleId, seatIds, amount: 100_000, heldUntil: now.toISOString(), queueTicketId: 't', seatSequence: 1 }, meta(bookingId, 0)),
    createEvent('PaymentRequested', { bookingId, userId, amount: 100_000 }, meta(bookingId, 1)),
    createEvent('PaymentCompleted', { paymentId, bookingId, userId, amount: 100_000 }, meta(paymentId, 0)),
    createEvent('BookingConfirmed', { bookingId, userId, scheduleId, seatIds, amount: 100_000, paymentId, currency: 'KRW', heldUntil: null, queueTicketId: 't', seatSequence: 2 }, meta(bookingId, 2)),
  ];
}
