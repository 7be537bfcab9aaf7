import type { BookingEventType, EventPayload } from '@ticketing/contracts';
import type { Booking } from './booking';

/** What an event needs beyond the booking itself; only some events use each field. */
export interface EventFacts {
  queueTicketId: string | null;
  paymentId: string | null;
  /** From the seat sequence, drawn in the same transaction (seat-changing events only). */
  seatSequence: number | null;
  /** The transition's reason, for events that carry one. */
  reason: string | null;
}

/** Events whose payload tells the seat projection something. */
export const SEAT_CHANGING_EVENTS: ReadonlySet<BookingEventType> = new Set(['SeatsHeld', 'BookingConfirmed', 'BookingCancelled', 'BookingExpired']);

function required<T>(value: T | null, what: string, type: string): T {
  if (value === null) throw new Error(`${type} needs ${what}`);
  return value;
}

/** The payload of a booking event, from the booking after the change (pure). */
export function bookingEventPayload<T extends BookingEventType>(type: T, booking: Booking, facts: EventFacts): EventPayload<T> {
  const base = { bookingId: booking.id, userId: booking.userId };
  const seats = { scheduleId: booking.scheduleId, seatIds: [...booking.seatIds] };
  const sequence = () => required(facts.seatSequence, 'a seat sequence', type);
  const payloads: { [K in BookingEventType]: () => EventPayload<K> } = {
    SeatsHeld: () => ({
      ...base,
      ...seats,
      amount: booking.amount,
      heldUntil: required(booking.heldUntil, 'heldUntil', type).toISOString(),
      queueTicketId: required(facts.queueTicketId, 'a queue ticket', type),
      seatSequence: sequence(),
    }),
    PaymentRequested: () => ({ ...base, amount: booking.amount }),
    BookingConfirmed: () => ({
      ...base,
      ...seats,
      amount: booking.amount,
      paymentId: required(facts.paymentId, 'a payment id', type),
      queueTicketId: required(facts.queueTicketId, 'a queue ticket', type),
      seatSequence: sequence(),
    }),
    BookingCancelled: () => ({ ...base, ...seats, reason: required(facts.reason, 'a reason', type), seatSequence: sequence() }),
    BookingExpired: () => ({ ...base, ...seats, seatSequence: sequence() }),
    RefundRequested: () => ({
      ...base,
      paymentId: required(facts.paymentId, 'a payment id', type),
      amount: booking.amount,
      reason: required(facts.reason, 'a reason', type),
    }),
  };
  return payloads[type]() as EventPayload<T>;
}
