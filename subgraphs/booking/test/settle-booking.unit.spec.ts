import { createEvent, parseEvent, type EventEnvelope } from '@ticketing/contracts';
import { hold, needsSeatSequence, type Booking, type BookingStatus, type Decided } from '../src/domain/booking';
import { decidePaymentOutcome, type PaymentOutcome } from '../src/domain/payment-outcome';
import type { BookingTransaction, StoredBooking } from '../src/application/ports';
import { settleBooking, type PaymentOutcomeEvent } from '../src/application/settle-booking.reaction';

const NOW = new Date('2025-03-01T10:00:00.000Z');
const OWNER = 'c3a0b6a2-0000-4000-8000-000000000001';
const BOOKING = 'b0000000-0000-4000-8000-000000000001';
const PAYMENT = 'd0000000-0000-4000-8000-000000000001';
const SEAT = '5e000000-0000-4000-8000-00000000000a';

/** Given: a booking as the saga would have left it. */
function given(status: BookingStatus, overrides: Partial<StoredBooking> = {}): StoredBooking {
  const held = hold(
    { bookingId: BOOKING, userId: OWNER, scheduleId: '5c000000-0000-4000-8000-000000000001', queueTicketId: 'ticket-1', seats: [{ seatId: SEAT, price: 7_000 }], holdTtlSeconds: 300 },
    NOW,
  );
  if (held.kind !== 'Transitioned') throw new Error('fixture hold failed');
  const holding = status === 'HELD' || status === 'PAYMENT_PENDING';
  return { ...held.booking, status, heldUntil: holding ? held.booking.heldUntil : null, version: 2, paymentIdempotencyKey: 'key-1', ...overrides };
}

const completed: PaymentOutcome = { kind: 'PaymentCompleted', paymentId: PAYMENT };
const failed: PaymentOutcome = { kind: 'PaymentFailed', paymentId: PAYMENT, reason: 'INSUFFICIENT_BALANCE' };

describe('deciding what a payment outcome does to a booking', () => {
  it('given a PAYMENT_PENDING booking, when the payment completes, then it is CONFIRMED by that payment and BookingConfirmed is decided', () => {
    const decided = decidePaymentOutcome(given('PAYMENT_PENDING'), completed, NOW);
    expect(decided).toMatchObject({
      kind: 'Transitioned',
      booking: { status: 'CONFIRMED', paymentId: PAYMENT, version: 3, heldUntil: null },
      events: [{ type: 'BookingConfirmed', payload: { paymentId: PAYMENT, queueTicketId: 'ticket-1', seatIds: [SEAT] } }],
    });
  });

  it.each<BookingStatus>(['EXPIRED', 'CANCELLED'])('given a %s booking (the payment came late), when the payment completes, then a refund is requested and the status stays', (status) => {
    const decided = decidePaymentOutcome(given(status), completed, NOW);
    expect(decided).toMatchObject({
      kind: 'RefundRequired',
      booking: { status, version: 3, paymentId: null },
      events: [{ type: 'RefundRequested', payload: { paymentId: PAYMENT, amount: 7_000, userId: OWNER } }],
    });
  });

  it('given a CONFIRMED booking, when the same completion arrives again, then it is ignored as AlreadyConfirmed', () => {
    expect(decidePaymentOutcome(given('CONFIRMED', { paymentId: PAYMENT }), completed, NOW)).toEqual({ kind: 'Ignored', because: 'AlreadyConfirmed' });
  });

  it('given a HELD booking, when a completion arrives without a request, then it is ignored as PaymentNotRequested', () => {
    expect(decidePaymentOutcome(given('HELD'), completed, NOW)).toEqual({ kind: 'Ignored', because: 'PaymentNotRequested' });
  });

  it('given a PAYMENT_PENDING booking, when the payment fails, then it is CANCELLED with the failure as reason and its seats are released', () => {
    const decided = decidePaymentOutcome(given('PAYMENT_PENDING'), failed, NOW);
    expect(decided).toMatchObject({
      kind: 'Transitioned',
      booking: { status: 'CANCELLED', version: 3, heldUntil: null },
      transition: { reason: 'payment failed: INSUFFICIENT_BALANCE' },
      events: [{ type: 'BookingCancelled', payload: { reason: 'payment failed: INSUFFICIENT_BALANCE', seatIds: [SEAT] } }],
    });
  });

  it('given a CONFIRMED booking, when a failure arrives after it, then it is ignored as AlreadyConfirmed', () => {
    expect(decidePaymentOutcome(given('CONFIRMED'), failed, NOW)).toEqual({ kind: 'Ignored', because: 'AlreadyConfirmed' });
  });

  it.each<BookingStatus>(['CANCELLED', 'EXPIRED'])('given a %s booking (payment timed out), when the failure arrives, then it is ignored as AlreadyEnded: nothing was taken', (status) => {
    expect(decidePaymentOutcome(given(status), failed, NOW)).toEqual({ kind: 'Ignored', because: 'AlreadyEnded' });
  });

  it('given a HELD booking, when a failure arrives without a request, then it is ignored as PaymentNotRequested', () => {
    expect(decidePaymentOutcome(given('HELD'), failed, NOW)).toEqual({ kind: 'Ignored', because: 'PaymentNotRequested' });
  });

  it('never mutates the booking it is given', () => {
    const booking = Object.freeze(given('PAYMENT_PENDING')) as Booking;
    decidePaymentOutcome(booking, completed, NOW);
    decidePaymentOutcome(booking, failed, NOW);
    expect(booking.status).toBe('PAYMENT_PENDING');
  });
});

/** An in-memory BookingTransaction: the runner's choreography without a database. */
function memoryTransaction(stored: StoredBooking | null) {
  const written = { steps: [] as Decided[], sequences: 0, outbox: [] as EventEnvelope[] };
  const refuse = () => Promise.reject(new Error('not used by the reaction'));
  const tx: BookingTransaction = {
    lock: async () => stored,
    insertBooking: refuse,
    // As the writer does: a number drawn for the step's seat-changing events, set in place of their placeholder.
    apply: async (_before, next, _facts, envelopes) => {
      written.steps.push(next);
      const seatSequence = needsSeatSequence(next.events) ? 40 + ++written.sequences : null;
      const numbered = (payload: object) => ('seatSequence' in payload ? { ...payload, seatSequence } : payload);
      written.outbox.push(...envelopes.map((e) => ({ ...e, payload: numbered(e.payload as object) })));
    },
    nextSeatSequence: async () => 40 + ++written.sequences,
    appendToOutbox: async (envelopes) => void written.outbox.push(...envelopes),
    lockOverdue: refuse,
    claimedSeats: refuse,
    insertBlock: refuse,
    lockBlockClaims: refuse,
    applyRelease: refuse,
  };
  return { tx, written };
}

const meta = { eventId: 'e0000000-0000-4000-8000-000000000001', streamId: PAYMENT, streamVersion: 0, now: NOW, correlationId: 'request-42' };
const completion = createEvent('PaymentCompleted', { paymentId: PAYMENT, bookingId: BOOKING, userId: OWNER, amount: 7_000 }, meta) as PaymentOutcomeEvent;
const failure = createEvent('PaymentFailed', { paymentId: PAYMENT, bookingId: BOOKING, userId: OWNER, amount: 7_000, reason: 'INSUFFICIENT_BALANCE' }, meta) as PaymentOutcomeEvent;
const settle = settleBooking({ now: () => NOW });

describe('settling a booking in the consumer’s transaction', () => {
  it('given a PAYMENT_PENDING booking, when PaymentCompleted arrives, then the step is written and one BookingConfirmed, seat-numbered and caused by the payment event, is appended', async () => {
    const { tx, written } = memoryTransaction(given('PAYMENT_PENDING'));

    expect(await settle(completion, tx)).toEqual({ kind: 'Confirmed', bookingId: BOOKING });

    expect(written.steps.map((step) => step.booking.status)).toEqual(['CONFIRMED']);
    expect(written.outbox).toHaveLength(1);
    const [event] = written.outbox;
    expect(parseEvent(JSON.stringify(event)).ok).toBe(true);
    expect(event).toMatchObject({
      type: 'BookingConfirmed',
      stream: { type: 'booking', id: BOOKING },
      streamVersion: 3,
      correlationId: 'request-42',
      causationId: completion.eventId,
      occurredAt: NOW.toISOString(),
      payload: { paymentId: PAYMENT, seatSequence: 41 },
    });
  });

  it('given an EXPIRED booking, when PaymentCompleted arrives late, then RefundRequested is appended at the next version without drawing a seat sequence', async () => {
    const { tx, written } = memoryTransaction(given('EXPIRED'));

    expect(await settle(completion, tx)).toEqual({ kind: 'RefundRequested', bookingId: BOOKING });

    expect(written.sequences).toBe(0);
    expect(written.outbox).toEqual([expect.objectContaining({ type: 'RefundRequested', streamVersion: 3, payload: expect.objectContaining({ paymentId: PAYMENT }) })]);
  });

  it('given a PAYMENT_PENDING booking, when PaymentFailed arrives, then BookingCancelled is appended', async () => {
    const { tx, written } = memoryTransaction(given('PAYMENT_PENDING'));

    expect(await settle(failure, tx)).toEqual({ kind: 'Cancelled', bookingId: BOOKING });
    expect(written.outbox.map((event) => event.type)).toEqual(['BookingCancelled']);
  });

  it('given a CONFIRMED booking, when the completion is delivered again under another event id, then nothing is written', async () => {
    const { tx, written } = memoryTransaction(given('CONFIRMED', { paymentId: PAYMENT }));

    expect(await settle(completion, tx)).toEqual({ kind: 'Ignored', bookingId: BOOKING, status: 'CONFIRMED', because: 'AlreadyConfirmed' });
    expect(written).toEqual({ steps: [], sequences: 0, outbox: [] });
  });

  it('given no such booking, when an outcome arrives, then it throws (retried, then parked for an admin) and writes nothing', async () => {
    const { tx, written } = memoryTransaction(null);

    await expect(settle(failure, tx)).rejects.toThrow(`PaymentFailed for unknown booking ${BOOKING}`);
    expect(written).toEqual({ steps: [], sequences: 0, outbox: [] });
  });
});
