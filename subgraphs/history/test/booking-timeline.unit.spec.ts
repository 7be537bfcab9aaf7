import { createEvent, type KnownEvent } from '@ticketing/contracts';
import { decideTimelineAccess, summarize, timelineEntryFor, type BookingTimelineEvent, type TimelineEntry } from '../src/domain/booking-timeline';

const BOOKING = 'b0000000-0000-4000-8000-000000000001';
const FAN = 'a0000000-0000-4000-8000-000000000001';
const STRANGER = 'a0000000-0000-4000-8000-000000000002';
const PAYMENT = 'c0000000-0000-4000-8000-000000000001';
const SCHEDULE = 'd0000000-0000-4000-8000-000000000001';
const SEATS = ['e0000000-0000-4000-8000-000000000001', 'e0000000-0000-4000-8000-000000000002'];
const NOW = new Date('2025-01-01T12:00:00.000Z');

let nextId = 0;
const meta = (streamId: string, streamVersion: number) => ({
  eventId: `f0000000-0000-4000-8000-${String(++nextId).padStart(12, '0')}`,
  streamId,
  streamVersion,
  now: NOW,
  correlationId: 'request-1',
});

const seatsHeld = createEvent(
  'SeatsHeld',
  { bookingId: BOOKING, userId: FAN, scheduleId: SCHEDULE, seatIds: SEATS, amount: 330_000, heldUntil: '2025-01-01T12:05:00.000Z', queueTicketId: 'ticket-1', seatSequence: 1 },
  meta(BOOKING, 0),
);
const paymentRequested = createEvent('PaymentRequested', { bookingId: BOOKING, userId: FAN, amount: 330_000 }, meta(BOOKING, 1));
const paymentCompleted = createEvent('PaymentCompleted', { paymentId: PAYMENT, bookingId: BOOKING, userId: FAN, amount: 330_000 }, meta(PAYMENT, 0));
const confirmed = createEvent(
  'BookingConfirmed',
  { bookingId: BOOKING, userId: FAN, scheduleId: SCHEDULE, seatIds: SEATS, amount: 330_000, paymentId: PAYMENT, currency: 'KRW', heldUntil: null, queueTicketId: 'ticket-1', seatSequence: 2 },
  meta(BOOKING, 2),
);
const entries = (events: readonly KnownEvent[]): TimelineEntry[] => events.map((event, i) => timelineEntryFor(event, i + 1)!);

describe('summarising a booking event for people', () => {
  const cases: Array<[string, BookingTimelineEvent, string]> = [
    ['seats held', seatsHeld, '2 seats held for 330,000'],
    ['a payment requested', paymentRequested, 'Payment of 330,000 requested'],
    ['a payment completed', paymentCompleted, 'Payment completed: 330,000'],
    ['a booking confirmed', confirmed, 'Booking confirmed: 2 seats for 330,000'],
    [
      'a payment failed',
      createEvent('PaymentFailed', { paymentId: PAYMENT, bookingId: BOOKING, userId: FAN, amount: 330_000, reason: 'INSUFFICIENT_BALANCE' }, meta(PAYMENT, 0)),
      'Payment failed: INSUFFICIENT_BALANCE',
    ],
    [
      'a booking cancelled',
      createEvent('BookingCancelled', { bookingId: BOOKING, userId: FAN, scheduleId: SCHEDULE, seatIds: SEATS, reason: 'cancelled by the fan', seatSequence: 3 }, meta(BOOKING, 3)),
      'Booking cancelled: cancelled by the fan',
    ],
    [
      'a hold expired on one seat',
      createEvent('BookingExpired', { bookingId: BOOKING, userId: FAN, scheduleId: SCHEDULE, seatIds: [SEATS[0]!], seatSequence: 3 }, meta(BOOKING, 3)),
      'Hold expired: 1 seat released',
    ],
    [
      'a refund requested',
      createEvent('RefundRequested', { bookingId: BOOKING, paymentId: PAYMENT, userId: FAN, amount: 330_000, reason: 'late payment' }, meta(BOOKING, 3)),
      'Refund of 330,000 requested: late payment',
    ],
    [
      'a booking refunded by an admin',
      createEvent(
        'BookingRefunded',
        { bookingId: BOOKING, userId: FAN, scheduleId: SCHEDULE, seatIds: SEATS, paymentId: PAYMENT, amount: 330_000, reason: 'the show is cancelled', refundedBy: 'ADMIN', requestedBy: FAN, seatSequence: 4 },
        meta(BOOKING, 4),
      ),
      'Booking refunded (by an admin): 2 seats back on sale, 330,000 to return: the show is cancelled',
    ],
    ['a payment refunded', createEvent('PaymentRefunded', { paymentId: PAYMENT, bookingId: BOOKING, userId: FAN, amount: 330_000 }, meta(PAYMENT, 1)), 'Payment refunded: 330,000'],
  ];

  it.each(cases)('given %s, then the summary says it in one sentence with the amount grouped by thousands', (_what, event, summary) => {
    expect(summarize(event)).toBe(summary);
  });
});

describe('folding events into timeline lines', () => {
  it('given a payment event, then its line belongs to the booking it pays for, told by the payment service', () => {
    expect(timelineEntryFor(paymentCompleted, 7)).toEqual({
      eventId: paymentCompleted.eventId,
      bookingId: BOOKING,
      ownerId: FAN,
      position: 7,
      at: NOW.toISOString(),
      type: 'PaymentCompleted',
      service: 'payment',
      summary: 'Payment completed: 330,000',
    });
  });

  it('given a booking event, then the line is told by the booking service and keyed by the event', () => {
    const entry = timelineEntryFor(seatsHeld, 1);

    expect(entry).toMatchObject({ eventId: seatsHeld.eventId, bookingId: BOOKING, ownerId: FAN, service: 'booking', type: 'SeatsHeld' });
  });

  it('given an event of no booking, then it adds no line', () => {
    const other = { ...seatsHeld, type: 'FanAdmitted', stream: { type: 'queue', id: 'q-1' } } as unknown as KnownEvent;

    expect(timelineEntryFor(other, 1)).toBeNull();
  });
});

describe('who may read a booking timeline', () => {
  const timeline = entries([seatsHeld, paymentRequested, paymentCompleted, confirmed]);

  it('given the fan the booking events name, then they see every line in position order', () => {
    const access = decideTimelineAccess({ userId: FAN, isAdmin: false }, [...timeline].reverse());

    expect(access).toEqual({ kind: 'Visible', entries: timeline });
  });

  it('given an admin, then they see the lines of any booking', () => {
    expect(decideTimelineAccess({ userId: STRANGER, isAdmin: true }, timeline)).toEqual({ kind: 'Visible', entries: timeline });
  });

  it('given another fan, then the timeline is not theirs and no line is handed out', () => {
    expect(decideTimelineAccess({ userId: STRANGER, isAdmin: false }, timeline)).toEqual({ kind: 'NotYours' });
  });

  it('given a booking with nothing archived yet, then there is nothing to show and nothing to hide', () => {
    expect(decideTimelineAccess({ userId: STRANGER, isAdmin: false }, [])).toEqual({ kind: 'NothingRecorded' });
  });

  it('given only the payment line so far, then its payer is the owner', () => {
    const paymentOnly = entries([paymentCompleted]);

    expect(decideTimelineAccess({ userId: FAN, isAdmin: false }, paymentOnly).kind).toBe('Visible');
    expect(decideTimelineAccess({ userId: STRANGER, isAdmin: false }, paymentOnly).kind).toBe('NotYours');
  });
});
