import { Role, type Viewer } from '@ticketing/platform';
import { refund, type BookingStatus, type RefundCause } from '../domain/booking';
import type { BookingStore, BookingWriter, Causation, RefundPolicy } from './ports';
import { recordStep } from './record-transition';

export interface RefundBookingInput {
  bookingId: string;
  reason: string;
}

export type RefundBookingResult =
  | { kind: 'Refunded'; bookingId: string }
  | { kind: 'NotFound' }
  | { kind: 'InvalidState'; status: BookingStatus }
  | { kind: 'RefundWindowClosed'; cutoff: Date }
  | { kind: 'ReasonRequired'; max: number };

/**
 * refundBooking: a CONFIRMED booking becomes REFUNDED in one transaction with its
 * BookingRefunded, which puts its seats back on sale (the claims stop being live in the same
 * write) and asks payment for the money back (payment reacts once per booking). Admins may
 * refund any booking; a fan only their own, before the schedule's cutoff, looked up before the
 * row is locked so no lock waits on an HTTP call (a booking's schedule never changes).
 */
export function refundBooking(deps: { writer: BookingWriter; bookings: Pick<BookingStore, 'findByIds'>; policy: RefundPolicy; now?: () => Date }) {
  const now = deps.now ?? (() => new Date());
  return async (viewer: Viewer, input: RefundBookingInput, causation: Causation): Promise<RefundBookingResult> => {
    let cause: RefundCause;
    if (viewer.role === Role.ADMIN) {
      cause = { kind: 'RefundedByAdmin', adminId: viewer.userId, reason: input.reason };
    } else {
      const [booking] = await deps.bookings.findByIds([input.bookingId]);
      if (!booking || booking.userId !== viewer.userId) return { kind: 'NotFound' };
      const cutoff = await deps.policy.ownerRefundCutoff(booking.scheduleId);
      // The schedule is gone from the catalog: nobody can say the window is open, so it is not.
      if (!cutoff) return { kind: 'RefundWindowClosed', cutoff: new Date(0) };
      cause = { kind: 'RefundedByOwner', userId: viewer.userId, reason: input.reason, cutoff };
    }
    return deps.writer.transaction(async (tx): Promise<RefundBookingResult> => {
      const booking = await tx.lock(input.bookingId);
      if (!booking) return { kind: 'NotFound' };
      const decided = refund(booking, cause, now());
      switch (decided.kind) {
        case 'NotOwner':
          return { kind: 'NotFound' };
        case 'InvalidState':
          return { kind: 'InvalidState', status: decided.status };
        case 'RefundWindowClosed':
        case 'ReasonRequired':
          return decided;
        case 'Transitioned':
          await recordStep(tx, booking, decided, causation);
          return { kind: 'Refunded', bookingId: booking.id };
      }
    });
  };
}
