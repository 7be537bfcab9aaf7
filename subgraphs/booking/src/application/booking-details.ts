import type { Decided, Transitioned } from '../domain/booking';
import type { BookingDetails } from './ports';

/**
 * A booking as a read finds it right after a write of this process, built from what the write
 * wrote rather than read back (issue 10: a round trip per hold and per payment). Specs compare
 * each with a later read, field by field.
 */

const entryOf = ({ transition }: Decided) => ({ status: transition.status, at: transition.at, reason: transition.reason });

const fieldsOf = ({ booking }: Decided) => {
  const { queueTicketId: _ticket, paymentId: _payment, ...fields } = booking;
  return fields;
};

/** A fan's new hold (INSERT_HOLD): created at its transition, one history line, no guest. */
export function newBookingDetails(hold: Transitioned): BookingDetails {
  return { ...fieldsOf(hold), createdAt: hold.transition.at, guestName: null, history: [entryOf(hold)] };
}

/** `before`, read in one snapshot, after the step decided on it was written (APPLY_STEP: the row and one history line). */
export function detailsAfterStep(before: BookingDetails, step: Decided): BookingDetails {
  return { ...before, ...fieldsOf(step), history: [...before.history, entryOf(step)] };
}
