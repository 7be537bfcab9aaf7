import type { BookingEventType, KnownEvent } from '@ticketing/contracts';
import { COMP_HISTORY_REASON, refundHistoryReason, type BookingStatus } from '../../domain/booking';

/**
 * A booking's rows as its stream says they were written: what `pg-booking.writer.ts` stores for
 * each step, rebuilt from the events alone. Not derivable, so left empty: the payBooking
 * idempotency key (no event carries it; a retry with the same key after a restore is answered
 * INVALID_STATE instead of the same booking), and the outbox and inbox (delivery bookkeeping).
 */

export type BookingStreamEvent = Extract<KnownEvent, { type: BookingEventType }>;

export interface BookingRow {
  id: string;
  userId: string;
  scheduleId: string;
  status: BookingStatus;
  amount: number;
  heldUntil: Date | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  queueTicketId: string | null;
  paymentId: string | null;
  paymentRequestedAt: Date | null;
  /** A comp's guest: not in the events (personal data), so a restored comp gets COMP_GUEST_PLACEHOLDER. */
  guestName: string | null;
}

export const COMP_GUEST_PLACEHOLDER = '(guest name not archived)';

export interface TransitionRow {
  version: number;
  status: BookingStatus;
  at: Date;
  reason: string | null;
}

export interface RestoredBooking {
  booking: BookingRow;
  /** Every seat of the hold; each claim carries the booking's status, as the writer keeps it. */
  seatIds: string[];
  transitions: TransitionRow[];
  /** The largest seat sequence the stream used: the database sequence must continue past it. */
  maxSeatSequence: number;
}

export type RestoreOutcome = { kind: 'Restorable'; rows: RestoredBooking } | { kind: 'Unrestorable'; bookingId: string; reason: string };

/**
 * The history reasons the decider (domain/booking.ts) writes for steps whose event carries no
 * reason; cancellations and refund requests carry theirs in the payload.
 */
const REASONS = {
  SeatsHeld: 'seats held',
  PaymentRequested: 'payment requested',
  BookingConfirmed: 'payment completed',
  BookingExpired: 'hold expired before payment',
} as const;

const ENDED: readonly BookingStatus[] = ['CONFIRMED', 'CANCELLED', 'EXPIRED', 'REFUNDED'];

/** One booking's rows from its stream (streamVersion order, gapless from 0). */
export function bookingRowsFrom(bookingId: string, events: readonly BookingStreamEvent[]): RestoreOutcome {
  const refuse = (reason: string): RestoreOutcome => ({ kind: 'Unrestorable', bookingId, reason });
  const first = events[0];
  if (!first || (first.type !== 'SeatsHeld' && first.type !== 'SeatsComped')) return refuse('the stream does not start with SeatsHeld or SeatsComped');
  const at = (event: BookingStreamEvent) => new Date(event.occurredAt);
  const held = first.payload;
  // A fan's hold starts HELD with its deadline and ticket; an admin's comp starts CONFIRMED, free, with neither.
  const booking: BookingRow = {
    id: held.bookingId,
    userId: held.userId,
    scheduleId: held.scheduleId,
    status: first.type === 'SeatsHeld' ? 'HELD' : 'CONFIRMED',
    amount: first.type === 'SeatsHeld' ? first.payload.amount : 0,
    heldUntil: first.type === 'SeatsHeld' ? new Date(first.payload.heldUntil) : null,
    version: 0,
    createdAt: at(first),
    updatedAt: at(first),
    queueTicketId: first.type === 'SeatsHeld' ? first.payload.queueTicketId : null,
    paymentId: null,
    paymentRequestedAt: null,
    guestName: first.type === 'SeatsComped' ? COMP_GUEST_PLACEHOLDER : null,
  };
  const transitions: TransitionRow[] = [
    { version: 0, status: booking.status, at: at(first), reason: first.type === 'SeatsHeld' ? REASONS.SeatsHeld : COMP_HISTORY_REASON },
  ];
  let maxSeatSequence = held.seatSequence;
  for (const [index, event] of events.entries()) {
    if (event.streamVersion !== index) return refuse(`streamVersion ${index} is missing`);
    if (index === 0) continue;
    let reason: string;
    switch (event.type) {
      case 'SeatsHeld':
      case 'SeatsComped':
        return refuse(`a second ${event.type} at version ${index}`);
      case 'PaymentRequested':
        booking.status = 'PAYMENT_PENDING';
        booking.paymentRequestedAt = at(event);
        reason = REASONS.PaymentRequested;
        break;
      case 'BookingConfirmed':
        booking.status = 'CONFIRMED';
        booking.paymentId = event.payload.paymentId;
        maxSeatSequence = Math.max(maxSeatSequence, event.payload.seatSequence);
        reason = REASONS.BookingConfirmed;
        break;
      case 'BookingCancelled':
        booking.status = 'CANCELLED';
        maxSeatSequence = Math.max(maxSeatSequence, event.payload.seatSequence);
        reason = event.payload.reason;
        break;
      case 'BookingExpired':
        booking.status = 'EXPIRED';
        maxSeatSequence = Math.max(maxSeatSequence, event.payload.seatSequence);
        reason = REASONS.BookingExpired;
        break;
      case 'RefundRequested':
        reason = event.payload.reason;
        break;
      case 'BookingRefunded':
        booking.status = 'REFUNDED';
        maxSeatSequence = Math.max(maxSeatSequence, event.payload.seatSequence);
        reason = refundHistoryReason(event.payload.refundedBy, event.payload.reason);
        break;
    }
    if (ENDED.includes(booking.status)) booking.heldUntil = null;
    booking.version = event.streamVersion;
    booking.updatedAt = at(event);
    transitions.push({ version: event.streamVersion, status: booking.status, at: at(event), reason });
  }
  return { kind: 'Restorable', rows: { booking, seatIds: [...held.seatIds].sort(), transitions, maxSeatSequence } };
}
