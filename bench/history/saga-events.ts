/**
 * A fan's whole on-sale as the services would publish it, built with the contracts' own producer
 * (`createEvent` checks every payload against its schema): registered, wallet charged, admitted,
 * seats held, payment requested, then paid and confirmed (or, for a fan short of money, the payment
 * failed and the booking cancelled). Same types, versions, streams, ids and causation chains as the
 * real saga, so the store, the archiver and every projection see what an on-sale leaves behind.
 */
import { randomUUID } from 'node:crypto';
import { createEvent, type EventEnvelope, type EventPayload, type EventType } from '@ticketing/contracts';

const SEAT_PRICE = 55_000;
const HOLD_SECONDS = 300;

export interface SagaOptions {
  /** Events wanted in total; whole fans are generated until at least this many exist, then cut. */
  events: number;
  /** Share of fans whose wallet cannot cover the seats (PaymentFailed, BookingCancelled). */
  shortFraction: number;
  /** Schedules the fans are spread over (dashboards group by schedule). */
  schedules: number;
  /** When the first fan's story starts; each fan's events are a few milliseconds apart. */
  start: Date;
}

/** One fan's events in the order the saga produces them. */
function fanStory(fan: number, scheduleId: string, short: boolean, at: (offsetMs: number) => Date): EventEnvelope[] {
  const userId = randomUUID();
  const bookingId = randomUUID();
  const paymentId = randomUUID();
  const ticketId = `ticket-${randomUUID()}`;
  const seatIds = Array.from({ length: 1 + (fan % 4) }, () => randomUUID());
  const amount = seatIds.length * SEAT_PRICE;
  const charged = short ? Math.floor(amount / 2) : amount * 2;
  const seatSequence = fan + 1;
  const queueNumber = fan + 1;
  const signUp = `req-${randomUUID()}`;
  const hold = `req-${randomUUID()}`;
  const pay = `req-${randomUUID()}`;
  const events: EventEnvelope[] = [];
  let step = 0;
  const emit = <T extends EventType>(type: T, streamId: string, streamVersion: number, payload: EventPayload<T>, correlationId: string, causationId: string | null = null) => {
    const event = createEvent(type, payload, { eventId: randomUUID(), streamId, streamVersion, now: at(step++ * 3), correlationId, causationId });
    events.push(event);
    return event.eventId;
  };

  const registered = emit('UserRegistered', userId, 0, { userId, role: 'USER', registeredAt: at(0).toISOString() }, signUp);
  emit('WalletCharged', userId, 0, { userId, amount: charged, balanceAfter: charged, ledgerEntryId: 2 * fan + 1, idempotencyKey: `charge-${fan}` }, signUp, registered);
  emit(
    'FanAdmitted',
    ticketId,
    0,
    { scheduleId, ticketId, queueNumber, admittedAt: at(step * 3).toISOString(), expiresAt: at(3_600_000).toISOString() },
    `admit-${scheduleId}`,
  );
  const held = emit(
    'SeatsHeld',
    bookingId,
    0,
    { bookingId, userId, scheduleId, seatIds, amount, heldUntil: at(HOLD_SECONDS * 1000).toISOString(), queueTicketId: ticketId, seatSequence },
    hold,
  );
  const requested = emit('PaymentRequested', bookingId, 1, { bookingId, userId, amount }, pay, held);
  if (short) {
    const failed = emit('PaymentFailed', paymentId, 0, { paymentId, bookingId, userId, amount, reason: 'INSUFFICIENT_BALANCE' }, pay, requested);
    emit('BookingCancelled', bookingId, 2, { bookingId, userId, scheduleId, seatIds, reason: 'payment failed: INSUFFICIENT_BALANCE', seatSequence: seatSequence + 1_000_000 }, pay, failed);
    return events;
  }
  emit('WalletDebited', userId, 1, { userId, amount, balanceAfter: charged - amount, ledgerEntryId: 2 * fan + 2, paymentId, bookingId }, pay, requested);
  const completed = emit('PaymentCompleted', paymentId, 0, { paymentId, bookingId, userId, amount }, pay, requested);
  const confirmed = emit(
    'BookingConfirmed',
    bookingId,
    2,
    {
      bookingId,
      userId,
      scheduleId,
      seatIds,
      amount,
      paymentId,
      queueTicketId: ticketId,
      seatSequence: seatSequence + 1_000_000,
      currency: 'KRW',
      heldUntil: at(HOLD_SECONDS * 1000).toISOString(),
    },
    pay,
    completed,
  );
  emit('TicketRetired', ticketId, 1, { scheduleId, ticketId, userId, bookingId, queueNumber, retiredAt: at(step * 3).toISOString() }, pay, confirmed);
  return events;
}

/** Exactly `events` envelopes: the last fan's story may stop early, which is still valid history (a prefix of each stream). */
export function onsaleEvents(options: SagaOptions): EventEnvelope[] {
  const schedules = Array.from({ length: options.schedules }, () => randomUUID());
  const shortEvery = options.shortFraction > 0 ? Math.max(1, Math.round(1 / options.shortFraction)) : Number.POSITIVE_INFINITY;
  const events: EventEnvelope[] = [];
  for (let fan = 0; events.length < options.events; fan++) {
    const base = options.start.getTime() + fan * 5;
    events.push(...fanStory(fan, schedules[fan % schedules.length]!, fan % shortEvery === shortEvery - 1, (offsetMs) => new Date(base + offsetMs)));
  }
  return events.slice(0, options.events);
}
