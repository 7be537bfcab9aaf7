import type { Viewer } from '@ticketing/platform';
import { cancel, type BookingStatus } from '../domain/booking';
import type { BookingWriter, Causation } from './ports';
import { recordStep } from './record-transition';

export type CancelBookingResult = { kind: 'Cancelled'; bookingId: string } | { kind: 'NotFound' } | { kind: 'InvalidState'; status: BookingStatus };

/** cancelBooking: the owner releases a HELD booking; its seats are free for others at once. */
export function cancelBooking(deps: { writer: BookingWriter; now?: () => Date }) {
  const now = deps.now ?? (() => new Date());
  return (viewer: Viewer, bookingId: string, causation: Causation): Promise<CancelBookingResult> =>
    deps.writer.transaction(async (tx) => {
      const booking = await tx.lock(bookingId);
      if (!booking || booking.userId !== viewer.userId) return { kind: 'NotFound' };
      const decided = cancel(booking, { kind: 'CancelledByOwner', userId: viewer.userId }, now());
      switch (decided.kind) {
        case 'NotOwner':
          return { kind: 'NotFound' };
        case 'InvalidState':
          return { kind: 'InvalidState', status: decided.status };
        case 'Transitioned':
          await recordStep(tx, booking, decided, causation);
          return { kind: 'Cancelled', bookingId };
      }
    });
}
