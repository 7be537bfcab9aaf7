import { parseEvent } from '@ticketing/contracts';
import { stampEnvelopes } from '@ticketing/messaging';
import {
  cancel,
  checkFanSeatLimit,
  comp,
  claimsSeats,
  confirm,
  expire,
  hold,
  MAX_SEATS_PER_BOOKING,
  needsSeatSequence,
  refund,
  requestPayment,
  withSeatSequence,
  type Booking,
  type BookingStatus,
  type HoldRequest,
} from '../src/domain/booking';

const NOW = new Date('2025-03-01T10:00:00.000Z');
const seconds = (n: number) => new Date(NOW.getTime() + n * 1000);
const OWNER = 'c3a0b6a2-0000-4000-8000-000000000001';
const STRANGER = 'c3a0b6a2-0000-4000-8000-000000000002';
const BOOKING = 'b0000000-0000-4000-8000-000000000001';
const SCHEDULE = '5c000000-0000-4000-8000-000000000001';
const SEAT_A = '5e000000-0000-4000-8000-00000000000a';
const SEAT_B = '5e000000-0000-4000-8000-00000000000b';
const TICKET = 'ticket-1';
const PAYMENT = 'd0000000-0000-4000-8000-000000000001';
/** What every seat-changing event says about the seats. */
const SEATS = { bookingId: BOOKING, userId: OWNER, scheduleId: SCHEDULE, seatIds: [SEAT_A, SEAT_B] };

function holdRequest(overrides: Partial<HoldRequest> = {}): HoldRequest {
  return {
    bookingId: BOOKING,
    userId: OWNER,
    scheduleId: SCHEDULE,
    queueTicketId: TICKET,
    seats: [
      { seatId: SEAT_B, price: 150_000 },
      { seatId: SEAT_A, price: 90_000 },
    ],
    holdTtlSeconds: 300,
    ...overrides,
  };
}

/** Given: a booking as the saga would have left it. */
function given(status: BookingStatus, overrides: Partial<Booking> = {}): Booking {
  const held = hold(holdRequest(), NOW);
  if (held.kind !== 'Transitioned') throw new Error('fixture hold failed');
  const holding = status === 'HELD' || status === 'PAYMENT_PENDING';
  return { ...held.booking, status, heldUntil: holding ? held.booking.heldUntil : null, version: 3, ...overrides };
}

describe('the per-fan seat cap of a schedule', () => {
  it('given a fan with 1 seat on a schedule capped at 4, when they ask for 3 more, then it is allowed', () => {
    expect(checkFanSeatLimit({ seatsClaimed: 1, requested: 3, limit: 4 })).toBeNull();
  });

  it('given a fan with 1 seat on a schedule capped at 4, when they ask for 4 more, then SeatLimitReached says 3 remain', () => {
    expect(checkFanSeatLimit({ seatsClaimed: 1, requested: 4, limit: 4 })).toEqual({ kind: 'SeatLimitReached', limit: 4, remaining: 3 });
  });

  it('given a fan at the cap, when they ask for one more, then SeatLimitReached says none remain', () => {
    expect(checkFanSeatLimit({ seatsClaimed: 4, requested: 1, limit: 4 })).toEqual({ kind: 'SeatLimitReached', limit: 4, remaining: 0 });
  });

  it('given a fan with no seats, when they ask for exactly the cap, then it is allowed; one past it is not', () => {
    expect(checkFanSeatLimit({ seatsClaimed: 0, requested: 2, limit: 2 })).toBeNull();
    expect(checkFanSeatLimit({ seatsClaimed: 0, requested: 3, limit: 2 })).toEqual({ kind: 'SeatLimitReached', limit: 2, remaining: 2 });
  });

  it('given a fan already past a cap that was lowered later, when they ask for any seat, then none remain (never a negative count)', () => {
    expect(checkFanSeatLimit({ seatsClaimed: 6, requested: 1, limit: 4 })).toEqual({ kind: 'SeatLimitReached', limit: 4, remaining: 0 });
  });
});

describe('hold', () => {
  it('given free seats, when a fan holds them, then a HELD booking with the summed amount and a deadline is recorded and SeatsHeld says so', () => {
    const result = hold(holdRequest(), NOW);
    expect(result).toEqual({
      kind: 'Transitioned',
      booking: {
        id: BOOKING,
        userId: OWNER,
        scheduleId: SCHEDULE,
        seatIds: [SEAT_A, SEAT_B],
        status: 'HELD',
        amount: 240_000,
        heldUntil: seconds(300),
        version: 0,
        queueTicketId: TICKET,
        paymentId: null,
      },
      transition: { status: 'HELD', at: NOW, reason: 'seats held' },
      events: [{ type: 'SeatsHeld', payload: { ...SEATS, amount: 240_000, heldUntil: seconds(300).toISOString(), queueTicketId: TICKET } }],
    });
  });

  it('when no seat is asked for, then NoSeats', () => {
    expect(hold(holdRequest({ seats: [] }), NOW)).toEqual({ kind: 'NoSeats' });
  });

  it(`when more than ${MAX_SEATS_PER_BOOKING} seats are asked for, then TooManySeats`, () => {
    const seats = Array.from({ length: MAX_SEATS_PER_BOOKING + 1 }, (_, i) => ({ seatId: `s${i}`, price: 1 }));
    expect(hold(holdRequest({ seats }), NOW)).toEqual({ kind: 'TooManySeats', max: MAX_SEATS_PER_BOOKING });
    expect(hold(holdRequest({ seats: seats.slice(1) }), NOW).kind).toBe('Transitioned');
  });

  it('when the same seat is asked for twice, then DuplicateSeats names it', () => {
    const seats = [
      { seatId: 'x', price: 1 },
      { seatId: 'y', price: 1 },
      { seatId: 'x', price: 1 },
      { seatId: 'x', price: 1 },
    ];
    expect(hold(holdRequest({ seats }), NOW)).toEqual({ kind: 'DuplicateSeats', seatIds: ['x'] });
  });

  it.each([-1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 1])('when a seat has the price %p, then InvalidPrice', (price) => {
    const seats = [
      { seatId: 'ok', price: 10 },
      { seatId: 'bad', price },
    ];
    expect(hold(holdRequest({ seats }), NOW)).toEqual({ kind: 'InvalidPrice', seatId: 'bad' });
  });

  it('when seats are free of charge, then the booking amounts to 0', () => {
    const result = hold(holdRequest({ seats: [{ seatId: 'free', price: 0 }] }), NOW);
    expect(result.kind === 'Transitioned' && result.booking.amount).toBe(0);
  });
});

describe('requestPayment', () => {
  it('given a HELD booking, when its owner pays before the deadline, then it becomes PAYMENT_PENDING, keeps its deadline and emits PaymentRequested', () => {
    const booking = given('HELD');
    expect(requestPayment(booking, OWNER, seconds(299))).toEqual({
      kind: 'Transitioned',
      booking: { ...booking, status: 'PAYMENT_PENDING', version: 4 },
      transition: { status: 'PAYMENT_PENDING', at: seconds(299), reason: 'payment requested' },
      events: [{ type: 'PaymentRequested', payload: { bookingId: BOOKING, userId: OWNER, amount: 240_000 } }],
    });
  });

  it('given a HELD booking, when someone else pays for it, then NotOwner', () => {
    expect(requestPayment(given('HELD'), STRANGER, NOW)).toEqual({ kind: 'NotOwner' });
  });

  it.each([300, 301])('given a HELD booking, when the owner pays %i s after the hold (deadline 300 s), then HoldExpired', (after) => {
    expect(requestPayment(given('HELD'), OWNER, seconds(after))).toEqual({ kind: 'HoldExpired', heldUntil: seconds(300) });
  });

  it.each<BookingStatus>(['PAYMENT_PENDING', 'CONFIRMED', 'CANCELLED', 'EXPIRED'])(
    'given a %s booking, when the owner pays, then InvalidState',
    (status) => {
      expect(requestPayment(given(status), OWNER, NOW)).toEqual({ kind: 'InvalidState', status, allowed: ['HELD'] });
    },
  );
});

describe('confirm', () => {
  it('given a PAYMENT_PENDING booking, when payment completes even after the deadline, then it is CONFIRMED by that payment, the deadline is cleared and BookingConfirmed says so', () => {
    const booking = given('PAYMENT_PENDING');
    expect(confirm(booking, PAYMENT, seconds(900))).toEqual({
      kind: 'Transitioned',
      booking: { ...booking, status: 'CONFIRMED', heldUntil: null, version: 4, paymentId: PAYMENT },
      transition: { status: 'CONFIRMED', at: seconds(900), reason: 'payment completed' },
      events: [
        {
          type: 'BookingConfirmed',
          payload: { ...SEATS, amount: 240_000, currency: 'KRW', paymentId: PAYMENT, queueTicketId: TICKET, heldUntil: seconds(300).toISOString() },
        },
      ],
    });
  });

  it('given a PAYMENT_PENDING booking, when payment completes, then BookingConfirmed is a v2 event the catalogue reads back with its currency and the deadline it beat or missed', () => {
    const confirmed = confirm(given('PAYMENT_PENDING'), PAYMENT, seconds(900));
    if (confirmed.kind !== 'Transitioned') throw new Error(confirmed.kind);

    const [stamped] = stampEnvelopes(withSeatSequence(confirmed.events, 9), {
      streamId: BOOKING,
      fromVersion: 4,
      correlationId: 'request-1',
      causationId: null,
      now: seconds(900),
      newId: () => 'e0000000-0000-4000-8000-000000000009',
    });

    expect(stamped).toMatchObject({ type: 'BookingConfirmed', schemaVersion: 2, payload: { currency: 'KRW', heldUntil: seconds(300).toISOString() } });
    expect(parseEvent(JSON.stringify(stamped))).toEqual({ ok: true, value: stamped });
  });

  it.each<BookingStatus>(['CANCELLED', 'EXPIRED'])(
    'given a %s booking, when payment completes anyway, then the status stays, the step takes a version and RefundRequested asks for the money back',
    (status) => {
      const booking = given(status);
      const reason = `payment arrived after the booking was ${status.toLowerCase()}: refund requested`;
      expect(confirm(booking, PAYMENT, NOW)).toEqual({
        kind: 'RefundRequired',
        booking: { ...booking, version: 4 },
        transition: { status, at: NOW, reason },
        events: [{ type: 'RefundRequested', payload: { bookingId: BOOKING, userId: OWNER, paymentId: PAYMENT, amount: 240_000, reason } }],
      });
    },
  );

  it.each<BookingStatus>(['HELD', 'CONFIRMED'])('given a %s booking, when payment completes, then InvalidState', (status) => {
    expect(confirm(given(status), PAYMENT, NOW)).toEqual({ kind: 'InvalidState', status, allowed: ['PAYMENT_PENDING'] });
  });

  it('given a booking from before the saga (no queue ticket), when payment completes, then it throws: BookingConfirmed cannot be told without one', () => {
    expect(() => confirm(given('PAYMENT_PENDING', { queueTicketId: null }), PAYMENT, NOW)).toThrow(/needs a queue ticket/);
  });
});

describe('cancel', () => {
  it('given a HELD booking, when its owner cancels, then it is CANCELLED, the deadline is cleared and BookingCancelled is emitted', () => {
    const booking = given('HELD');
    expect(cancel(booking, { kind: 'CancelledByOwner', userId: OWNER }, seconds(10))).toEqual({
      kind: 'Transitioned',
      booking: { ...booking, status: 'CANCELLED', heldUntil: null, version: 4 },
      transition: { status: 'CANCELLED', at: seconds(10), reason: 'cancelled by the fan' },
      events: [{ type: 'BookingCancelled', payload: { ...SEATS, reason: 'cancelled by the fan' } }],
    });
  });

  it('given a HELD booking, when someone else cancels it, then NotOwner', () => {
    expect(cancel(given('HELD'), { kind: 'CancelledByOwner', userId: STRANGER }, NOW)).toEqual({ kind: 'NotOwner' });
  });

  it.each<BookingStatus>(['PAYMENT_PENDING', 'CONFIRMED', 'CANCELLED', 'EXPIRED'])(
    'given a %s booking, when its owner cancels, then InvalidState (a pending payment is a lock)',
    (status) => {
      expect(cancel(given(status), { kind: 'CancelledByOwner', userId: OWNER }, NOW)).toEqual({
        kind: 'InvalidState',
        status,
        allowed: ['HELD'],
      });
    },
  );

  it('given a PAYMENT_PENDING booking, when payment fails, then it is CANCELLED with the failure as reason', () => {
    const result = cancel(given('PAYMENT_PENDING'), { kind: 'PaymentFailed', reason: 'INSUFFICIENT_BALANCE' }, NOW);
    expect(result).toMatchObject({
      kind: 'Transitioned',
      booking: { status: 'CANCELLED', heldUntil: null },
      transition: { status: 'CANCELLED', reason: 'payment failed: INSUFFICIENT_BALANCE' },
      events: [{ type: 'BookingCancelled', payload: { ...SEATS, reason: 'payment failed: INSUFFICIENT_BALANCE' } }],
    });
  });

  it('given a PAYMENT_PENDING booking, when payment times out, then it is CANCELLED', () => {
    expect(cancel(given('PAYMENT_PENDING'), { kind: 'PaymentTimedOut' }, NOW)).toMatchObject({
      kind: 'Transitioned',
      transition: { status: 'CANCELLED', reason: 'payment timed out' },
    });
  });

  it.each<BookingStatus>(['HELD', 'CONFIRMED', 'CANCELLED', 'EXPIRED'])(
    'given a %s booking, when a payment failure or timeout arrives, then InvalidState',
    (status) => {
      const expected = { kind: 'InvalidState', status, allowed: ['PAYMENT_PENDING'] };
      expect(cancel(given(status), { kind: 'PaymentFailed', reason: 'x' }, NOW)).toEqual(expected);
      expect(cancel(given(status), { kind: 'PaymentTimedOut' }, NOW)).toEqual(expected);
    },
  );
});

describe('expire', () => {
  it.each([300, 3600])('given a HELD booking, when the sweeper runs %i s after the hold (deadline 300 s), then it is EXPIRED and BookingExpired is emitted', (after) => {
    const booking = given('HELD');
    expect(expire(booking, seconds(after))).toEqual({
      kind: 'Transitioned',
      booking: { ...booking, status: 'EXPIRED', heldUntil: null, version: 4 },
      transition: { status: 'EXPIRED', at: seconds(after), reason: 'hold expired before payment' },
      events: [{ type: 'BookingExpired', payload: SEATS }],
    });
  });

  it('given a HELD booking, when the sweeper runs before the deadline, then HoldNotExpired', () => {
    expect(expire(given('HELD'), seconds(299))).toEqual({ kind: 'HoldNotExpired', heldUntil: seconds(300) });
  });

  it('given a PAYMENT_PENDING booking past its deadline, when the sweeper runs, then InvalidState: payment in flight is a lock', () => {
    expect(expire(given('PAYMENT_PENDING'), seconds(3600))).toEqual({ kind: 'InvalidState', status: 'PAYMENT_PENDING', allowed: ['HELD'] });
  });

  it.each<BookingStatus>(['CONFIRMED', 'CANCELLED', 'EXPIRED'])('given a %s booking, when the sweeper runs, then InvalidState', (status) => {
    expect(expire(given(status), seconds(3600)).kind).toBe('InvalidState');
  });
});

describe('the saga paths, end to end in the domain', () => {
  it('hold → pay → confirm bumps the version once per transition and claims seats until the end', () => {
    const held = hold(holdRequest(), NOW);
    if (held.kind !== 'Transitioned') throw new Error(held.kind);
    const pending = requestPayment(held.booking, OWNER, seconds(60));
    if (pending.kind !== 'Transitioned') throw new Error(pending.kind);
    const confirmed = confirm(pending.booking, PAYMENT, seconds(61));
    if (confirmed.kind !== 'Transitioned') throw new Error(confirmed.kind);
    expect([held, pending, confirmed].map((step) => [step.booking.version, step.booking.status, step.events.map((event) => event.type)])).toEqual([
      [0, 'HELD', ['SeatsHeld']],
      [1, 'PAYMENT_PENDING', ['PaymentRequested']],
      [2, 'CONFIRMED', ['BookingConfirmed']],
    ]);
    expect(claimsSeats(confirmed.booking.status)).toBe(true);
  });

  it('ended bookings release their seats; live ones keep them', () => {
    expect((['HELD', 'PAYMENT_PENDING', 'CONFIRMED', 'CANCELLED', 'EXPIRED'] as const).map(claimsSeats)).toEqual([
      true,
      true,
      true,
      false,
      false,
    ]);
  });

  it('never mutates the state it is given', () => {
    const booking = Object.freeze(given('HELD'));
    expect(() => requestPayment(booking, OWNER, NOW)).not.toThrow();
    expect(() => expire(booking, seconds(600))).not.toThrow();
    expect(booking.status).toBe('HELD');
  });
});

describe('publishing what the decider decided', () => {
  it('given each step of the saga, when its events are numbered and enveloped, then every one passes the contract and sits at the booking’s new version', () => {
    const held = hold(holdRequest(), NOW);
    if (held.kind !== 'Transitioned') throw new Error(held.kind);
    const pending = requestPayment(held.booking, OWNER, seconds(1));
    if (pending.kind !== 'Transitioned') throw new Error(pending.kind);
    const cancelled = cancel(pending.booking, { kind: 'PaymentTimedOut' }, seconds(2));
    if (cancelled.kind !== 'Transitioned') throw new Error(cancelled.kind);
    const refund = confirm(cancelled.booking, PAYMENT, seconds(3));
    if (refund.kind !== 'RefundRequired') throw new Error(refund.kind);

    const published = [held, pending, cancelled, refund].flatMap((step, i) =>
      stampEnvelopes(withSeatSequence(step.events, needsSeatSequence(step.events) ? 100 + i : null), {
        streamId: step.booking.id,
        fromVersion: step.booking.version - step.events.length + 1,
        correlationId: 'request-1',
        causationId: null,
        now: step.transition.at,
        newId: () => 'e0000000-0000-4000-8000-00000000000' + i,
      }),
    );

    expect(published.map((event) => parseEvent(JSON.stringify(event)).ok)).toEqual([true, true, true, true]);
    expect(published.map((event) => [event.type, event.streamVersion, (event.payload as { seatSequence?: number }).seatSequence])).toEqual([
      ['SeatsHeld', 0, 100],
      ['PaymentRequested', 1, undefined],
      ['BookingCancelled', 2, 102],
      ['RefundRequested', 3, undefined],
    ]);
  });

  it('given a seat-changing event, when no seat sequence was drawn, then it throws rather than publish an unordered seat change', () => {
    const held = hold(holdRequest(), NOW);
    if (held.kind !== 'Transitioned') throw new Error(held.kind);
    expect(needsSeatSequence(held.events)).toBe(true);
    expect(() => withSeatSequence(held.events, null)).toThrow(/SeatsHeld needs a seat sequence/);
  });
});

describe('refunding a confirmed booking', () => {
  const ADMIN = 'c3a0b6a2-0000-4000-8000-0000000000ad';
  const CUTOFF = seconds(3_600);
  const byOwner = (overrides: { userId?: string; reason?: string; cutoff?: Date } = {}) => ({
    kind: 'RefundedByOwner' as const,
    userId: overrides.userId ?? OWNER,
    reason: overrides.reason ?? 'I cannot come',
    cutoff: overrides.cutoff ?? CUTOFF,
  });
  const byAdmin = (reason = 'the artist is ill') => ({ kind: 'RefundedByAdmin' as const, adminId: ADMIN, reason });

  it('given a CONFIRMED booking, when its owner asks before the cutoff, then it is REFUNDED and BookingRefunded releases its seats and names its payment', () => {
    const decided = refund(given('CONFIRMED', { paymentId: PAYMENT }), byOwner(), seconds(60));
    expect(decided).toMatchObject({
      kind: 'Transitioned',
      booking: { status: 'REFUNDED', heldUntil: null, version: 4 },
      transition: { status: 'REFUNDED', at: seconds(60), reason: "refunded at the fan's request: I cannot come" },
      events: [
        {
          type: 'BookingRefunded',
          payload: { ...SEATS, paymentId: PAYMENT, amount: 240_000, reason: 'I cannot come', refundedBy: 'OWNER', requestedBy: OWNER },
        },
      ],
    });
    expect(needsSeatSequence((decided as { events: Parameters<typeof needsSeatSequence>[0] }).events)).toBe(true);
    expect(claimsSeats('REFUNDED')).toBe(false);
  });

  it('given the cutoff, when the owner asks at it or after, then RefundWindowClosed names the cutoff and nothing moves', () => {
    expect(refund(given('CONFIRMED'), byOwner(), CUTOFF)).toEqual({ kind: 'RefundWindowClosed', cutoff: CUTOFF });
    expect(refund(given('CONFIRMED'), byOwner(), seconds(7_200))).toEqual({ kind: 'RefundWindowClosed', cutoff: CUTOFF });
  });

  it('given the cutoff has passed, when an admin asks, then it is refunded all the same, by an admin', () => {
    const decided = refund(given('CONFIRMED', { paymentId: PAYMENT }), byAdmin(), seconds(7_200));
    expect(decided).toMatchObject({ kind: 'Transitioned', events: [{ type: 'BookingRefunded', payload: { refundedBy: 'ADMIN', requestedBy: ADMIN } }] });
  });

  it('given someone else asks as an owner, then NotOwner, before the status or the cutoff is looked at', () => {
    expect(refund(given('HELD'), byOwner({ userId: STRANGER, cutoff: NOW }), seconds(60))).toEqual({ kind: 'NotOwner' });
  });

  it.each<BookingStatus>(['HELD', 'PAYMENT_PENDING', 'CANCELLED', 'EXPIRED', 'REFUNDED'])('given a %s booking, then InvalidState allows only CONFIRMED', (status) => {
    expect(refund(given(status), byAdmin(), seconds(60))).toEqual({ kind: 'InvalidState', status, allowed: ['CONFIRMED'] });
  });

  it.each(['', '   ', 'x'.repeat(501)])('given the reason %p, then ReasonRequired (1 to 500 characters)', (reason) => {
    expect(refund(given('CONFIRMED'), byAdmin(reason), seconds(60))).toEqual({ kind: 'ReasonRequired', max: 500 });
  });

  it('given a reason with spaces around it, then the history and the event keep it trimmed', () => {
    const decided = refund(given('CONFIRMED', { paymentId: PAYMENT }), byAdmin('  rain  '), seconds(60));
    expect(decided).toMatchObject({ transition: { reason: 'refunded by an admin: rain' }, events: [{ payload: { reason: 'rain' } }] });
  });

  it('given the event as published, then it parses against its contract (seat sequence added)', () => {
    const decided = refund(given('CONFIRMED', { paymentId: PAYMENT }), byAdmin(), seconds(60));
    if (decided.kind !== 'Transitioned') throw new Error('expected a refund');
    const [envelope] = stampEnvelopes(withSeatSequence(decided.events, 99), { streamId: BOOKING, fromVersion: 4, correlationId: 'c', causationId: null, now: seconds(60), newId: () => 'e0000000-0000-4000-8000-000000000001' });
    expect(parseEvent(JSON.parse(JSON.stringify(envelope)))).toMatchObject({ ok: true, value: { type: 'BookingRefunded', payload: { seatSequence: 99 } } });
  });
});

describe('a comp for a guest', () => {
  const ADMIN = 'c3a0b6a2-0000-4000-8000-0000000000ad';
  const request = (overrides: Partial<Parameters<typeof comp>[0]> = {}) => ({
    bookingId: BOOKING,
    adminId: ADMIN,
    scheduleId: SCHEDULE,
    seatIds: [SEAT_B, SEAT_A],
    guestName: ' Kim Min-ji ',
    maxSeats: 500,
    ...overrides,
  });

  it('given blocked seats and a guest, then a free booking starts CONFIRMED at version 0, owned by the admin, with SeatsComped (no name in it)', () => {
    const decided = comp(request(), NOW);
    expect(decided).toMatchObject({
      kind: 'Transitioned',
      guestName: 'Kim Min-ji',
      booking: { status: 'CONFIRMED', amount: 0, heldUntil: null, version: 0, queueTicketId: null, paymentId: null, userId: ADMIN, seatIds: [SEAT_A, SEAT_B] },
      transition: { status: 'CONFIRMED', at: NOW },
      events: [{ type: 'SeatsComped', payload: { bookingId: BOOKING, userId: ADMIN, scheduleId: SCHEDULE, seatIds: [SEAT_A, SEAT_B] } }],
    });
    expect(JSON.stringify((decided as { events: unknown }).events)).not.toContain('Min-ji');
  });

  it.each(['', '  ', 'x'.repeat(201)])('given the guest name %p, then GuestNameRequired', (guestName) => {
    expect(comp(request({ guestName }), NOW)).toEqual({ kind: 'GuestNameRequired', max: 200 });
  });

  it('given no seats, a seat twice or more than the cap, then the seat list is refused first', () => {
    expect(comp(request({ seatIds: [] }), NOW)).toEqual({ kind: 'NoSeats' });
    expect(comp(request({ seatIds: [SEAT_A, SEAT_A] }), NOW)).toEqual({ kind: 'DuplicateSeats', seatIds: [SEAT_A] });
    expect(comp(request({ maxSeats: 1 }), NOW)).toEqual({ kind: 'TooManySeats', max: 1 });
  });
});
