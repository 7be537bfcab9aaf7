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

export interface OnSaleScenario {
  scheduleId: string;
  events: EventEnvelope[];
  /** What its dashboard must say, counted from the scenario rather than folded. */
  expected: { seatsTotal: number; seatsHeld: number; seatsSold: number; seatsBlocked: number; revenue: number; bookingsConfirmed: number; bookingsExpired: number; fansAdmitted: number };
  expectedBySection: Record<string, { seatsTotal: number; seatsHeld: number; seatsSold: number; seatsBlocked: number; revenue: number }>;
}

/**
 * A small on-sale as the services publish it, in the order they would: the schedule and its seats
 * (VIP at 200,000 and R at 100,000), fans admitted, then each fan holds one VIP and one R seat
 * (300,000); every third booking expires, every third stays pending, the rest are confirmed; an
 * admin blocks 4 spare R seats and releases 1.
 */
export function onSaleEvents(fans: number, now = new Date('2026-12-03T10:00:00Z')): OnSaleScenario {
  const scheduleId = randomUUID();
  const meta = (streamId: string, streamVersion: number) => ({ eventId: randomUUID(), streamId, streamVersion, now, correlationId: `spec-${scheduleId}` });
  const seat = (section: string, number: number, price: number) => ({ seatId: randomUUID(), section, row: 'A', number, price });
  const vip = Array.from({ length: fans }, (_, i) => seat('VIP', i + 1, 200_000));
  const r = Array.from({ length: fans + 10 }, (_, i) => seat('R', i + 1, 100_000));
  const events: EventEnvelope[] = [
    createEvent('ScheduleCreated', { scheduleId, concertId: randomUUID(), startsAt: now.toISOString(), bookingOpensAt: now.toISOString(), maxSeatsPerFan: 4 }, meta(scheduleId, 0)),
    createEvent('SeatsAdded', { scheduleId, seats: vip }, meta(scheduleId, 1)),
    createEvent('SeatsAdded', { scheduleId, seats: r }, meta(scheduleId, 2)),
  ];
  let confirmed = 0;
  let expired = 0;
  for (let i = 0; i < fans; i++) {
    const ticketId = randomUUID();
    events.push(createEvent('FanAdmitted', { scheduleId, ticketId, queueNumber: i + 1, admittedAt: now.toISOString(), expiresAt: now.toISOString() }, meta(ticketId, 0)));
  }
  for (let i = 0; i < fans; i++) {
    const bookingId = randomUUID();
    const userId = randomUUID();
    const seatIds = [vip[i]!.seatId, r[i]!.seatId];
    events.push(createEvent('SeatsHeld', { bookingId, userId, scheduleId, seatIds, amount: 300_000, heldUntil: now.toISOString(), queueTicketId: 't', seatSequence: 2 * i + 1 }, meta(bookingId, 0)));
    if (i % 3 === 0) {
      expired++;
      events.push(createEvent('BookingExpired', { bookingId, userId, scheduleId, seatIds, seatSequence: 2 * i + 2 }, meta(bookingId, 1)));
    } else if (i % 3 === 1) {
      confirmed++;
      const paymentId = randomUUID();
      events.push(createEvent('PaymentRequested', { bookingId, userId, amount: 300_000 }, meta(bookingId, 1)));
      events.push(
        createEvent('BookingConfirmed', { bookingId, userId, scheduleId, seatIds, amount: 300_000, paymentId, currency: 'KRW', heldUntil: null, queueTicketId: 't', seatSequence: 2 * i + 2 }, meta(bookingId, 2)),
      );
    }
  }
  // The 10 R seats nobody holds: an admin blocks 4 of them (VIP guests), then releases 1.
  const blockId = randomUUID();
  const admin = randomUUID();
  const spare = r.slice(fans).map((seat) => seat.seatId);
  events.push(createEvent('SeatsBlocked', { blockId, scheduleId, seatIds: spare.slice(0, 4), reason: 'VIP guests', blockedBy: admin, seatSequence: 2 * fans + 1 }, meta(blockId, 0)));
  events.push(createEvent('SeatsReleased', { blockId, scheduleId, seatIds: spare.slice(0, 1), releasedBy: admin, seatSequence: 2 * fans + 2 }, meta(blockId, 1)));
  const pending = fans - confirmed - expired;
  return {
    scheduleId,
    events,
    expected: { seatsTotal: 2 * fans + 10, seatsHeld: 2 * pending, seatsSold: 2 * confirmed, seatsBlocked: 3, revenue: 300_000 * confirmed, bookingsConfirmed: confirmed, bookingsExpired: expired, fansAdmitted: fans },
    expectedBySection: {
      R: { seatsTotal: fans + 10, seatsHeld: pending, seatsSold: confirmed, seatsBlocked: 3, revenue: 100_000 * confirmed },
      VIP: { seatsTotal: fans, seatsHeld: pending, seatsSold: confirmed, seatsBlocked: 0, revenue: 200_000 * confirmed },
    },
  };
}
