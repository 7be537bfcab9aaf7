import { randomUUID } from 'node:crypto';
import { createEvent, type EventPayload, type EventType, type KnownEvent } from '@ticketing/contracts';
import { seatStatusChangeFor } from '../src/domain/seat-projection';

const bookingId = randomUUID();
const userId = randomUUID();
const scheduleId = randomUUID();
const seatIds = [randomUUID(), randomUUID()];
const paymentId = randomUUID();

function event<T extends EventType>(type: T, payload: EventPayload<T>): KnownEvent {
  return createEvent(type, payload, { eventId: randomUUID(), streamId: bookingId, streamVersion: 1, now: new Date(), correlationId: 'test' }) as KnownEvent;
}

const adminId = randomUUID();
const seatEvents: Array<[string, KnownEvent, 'HELD' | 'SOLD' | 'AVAILABLE' | 'BLOCKED']> = [
  [
    'SeatsHeld',
    event('SeatsHeld', { bookingId, userId, scheduleId, seatIds, amount: 1000, heldUntil: new Date().toISOString(), queueTicketId: randomUUID(), seatSequence: 7 }),
    'HELD',
  ],
  ['BookingConfirmed', event('BookingConfirmed', { bookingId, userId, scheduleId, seatIds, amount: 1000, paymentId, currency: 'KRW', heldUntil: null, queueTicketId: randomUUID(), seatSequence: 7 }), 'SOLD'],
  ['BookingCancelled', event('BookingCancelled', { bookingId, userId, scheduleId, seatIds, reason: 'payment failed', seatSequence: 7 }), 'AVAILABLE'],
  ['BookingExpired', event('BookingExpired', { bookingId, userId, scheduleId, seatIds, seatSequence: 7 }), 'AVAILABLE'],
  ['SeatsBlocked', event('SeatsBlocked', { blockId: bookingId, scheduleId, seatIds, reason: 'VIP', blockedBy: adminId, seatSequence: 7 }), 'BLOCKED'],
  ['SeatsReleased', event('SeatsReleased', { blockId: bookingId, scheduleId, seatIds, releasedBy: adminId, seatSequence: 7 }), 'AVAILABLE'],
];

describe('which seat status a booking event means', () => {
  it.each(seatEvents)('given %s, then its seats become %s at its seat sequence', (_type, given, status) => {
    expect(seatStatusChangeFor(given)).toEqual({ scheduleId, seatIds, status, sequence: 7 });
  });

  it.each([
    event('PaymentRequested', { bookingId, userId, amount: 1000 }),
    event('RefundRequested', { bookingId, paymentId, userId, amount: 1000, reason: 'booking expired' }),
    event('PaymentCompleted', { paymentId, bookingId, userId, amount: 1000 }),
  ])('given $type, then no seat changes', (given) => {
    expect(seatStatusChangeFor(given)).toBeNull();
  });

  it('given ids in upper case and a repeated seat, then the change names each seat once, in the form PostgreSQL prints', () => {
    const [first, second] = seatIds as [string, string];
    const given = event('BookingExpired', { bookingId, userId, scheduleId: scheduleId.toUpperCase(), seatIds: [first.toUpperCase(), second], seatSequence: 3 });
    // The contract refuses duplicates as written; case variants of one id slip through it.
    const withVariant = { ...given, payload: { ...given.payload, seatIds: [first.toUpperCase(), first, second] } } as KnownEvent;

    expect(seatStatusChangeFor(withVariant)).toEqual({ scheduleId, seatIds: [first, second], status: 'AVAILABLE', sequence: 3 });
  });
});
