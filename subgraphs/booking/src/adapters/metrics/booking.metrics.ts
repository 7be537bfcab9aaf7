import { prometheus, type Metrics } from '@ticketing/platform';
import type { HoldSeatsResult } from '../../application/hold-seats.command';
import type { AdmissionCheckedVia } from '../admission/admission-pass.checker';
import type { WrittenStep } from '../persistence/pg-booking.writer';

/** How a holdSeats call ended, as a bounded label: the fan's refusals that matter on an on-sale, and the rest. */
export type HoldOutcome = 'held' | 'seat_unavailable' | 'limit' | 'other_refusal';

export function holdOutcome(result: HoldSeatsResult): HoldOutcome {
  switch (result.kind) {
    case 'Held':
      return 'held';
    case 'SeatUnavailable':
      return 'seat_unavailable';
    case 'SeatLimitReached':
      return 'limit';
    case 'NoSeats':
    case 'TooManySeats':
    case 'DuplicateSeats':
    case 'QueueTokenInvalid':
    case 'UnknownSchedule':
    case 'SalesClosed':
    case 'UnknownSeats':
    case 'TicketAlreadyHolding':
      return 'other_refusal';
  }
}

/**
 * Booking's business metrics, counted only for what committed: holds by outcome (from the
 * command's answer, after its transaction), and every later step from the writes themselves,
 * whichever path made them (a fan's command, the payment consumer, the overdue sweeper). The
 * saga's latency is the booking's own clock: PAYMENT_PENDING's stored time to the terminal
 * step's time, so a slow scrape or a redelivery cannot skew it.
 */
export function createBookingMetrics({ registry }: Pick<Metrics, 'registry'>) {
  const registers = [registry];
  const holds = new prometheus.Counter({ name: 'booking_holds_total', help: 'holdSeats calls by outcome', labelNames: ['outcome'] as const, registers });
  const admissionChecks = new prometheus.Counter({
    name: 'booking_admission_checks_total',
    help: 'Admission checks of holdSeats by how: a pass checked here, or a queue token sent to the waiting room',
    labelNames: ['via'] as const,
    registers,
  });
  const paymentRequests = new prometheus.Counter({ name: 'booking_payment_requests_total', help: 'Bookings moved to PAYMENT_PENDING by payBooking', registers });
  const confirmations = new prometheus.Counter({ name: 'booking_confirmations_total', help: 'Bookings CONFIRMED', registers });
  const cancellations = new prometheus.Counter({
    name: 'booking_cancellations_total',
    help: 'Bookings CANCELLED, by the status they left (held: by the fan; payment_pending: payment failed or timed out)',
    labelNames: ['from'] as const,
    registers,
  });
  const expiries = new prometheus.Counter({ name: 'booking_expiries_total', help: 'Holds EXPIRED by the sweeper', registers });
  const refunds = new prometheus.Counter({
    name: 'booking_refunds_total',
    help: 'CONFIRMED bookings given back (refundBooking), by who asked: an admin or the owner',
    labelNames: ['by'] as const,
    registers,
  });
  const comps = new prometheus.Counter({ name: 'booking_comps_total', help: 'Comps: blocked seats booked for a guest by an admin (bookBlockedSeats)', registers });
  const refundRequests = new prometheus.Counter({ name: 'booking_refund_requests_total', help: 'Payments that arrived after the booking ended, sent back for a refund', registers });
  const saga = new prometheus.Histogram({
    name: 'booking_saga_duration_seconds',
    help: 'payBooking accepted (PAYMENT_PENDING) to CONFIRMED or CANCELLED, from the booking\'s own timestamps',
    labelNames: ['outcome'] as const,
    buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers,
  });

  return {
    admissionChecked(via: AdmissionCheckedVia): void {
      admissionChecks.inc({ via });
    },
    holdAnswered(result: HoldSeatsResult): void {
      holds.inc({ outcome: holdOutcome(result) });
    },
    stepsCommitted(steps: readonly WrittenStep[]): void {
      for (const step of steps) {
        if (step.refundRequested) refundRequests.inc();
        // A booking that begins CONFIRMED is a comp (a fan's begins HELD).
        if (step.from === null && step.to === 'CONFIRMED') comps.inc();
        if (step.from === step.to || step.from === null) continue;
        switch (step.to) {
          case 'PAYMENT_PENDING':
            paymentRequests.inc();
            break;
          case 'CONFIRMED':
            confirmations.inc();
            break;
          case 'CANCELLED':
            cancellations.inc({ from: step.from.toLowerCase() });
            break;
          case 'EXPIRED':
            expiries.inc();
            break;
          case 'REFUNDED':
            refunds.inc({ by: step.refundedBy ?? 'unknown' });
            break;
          case 'HELD':
            break;
        }
        if (step.from === 'PAYMENT_PENDING' && (step.to === 'CONFIRMED' || step.to === 'CANCELLED') && step.paymentRequestedAt) {
          saga.observe({ outcome: step.to.toLowerCase() }, Math.max(0, (step.at.getTime() - step.paymentRequestedAt.getTime()) / 1000));
        }
      }
    },
  };
}

export type BookingMetrics = ReturnType<typeof createBookingMetrics>;
