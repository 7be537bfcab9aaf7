import { createEvent, parseEvent, type EventEnvelope } from '@ticketing/contracts';
import { collectPayment } from '../src/application/collect-payment.reaction';
import type { Credit, Debit, PaymentTransaction } from '../src/application/ports';
import { refundPayment } from '../src/application/refund-payment.reaction';
import { decidePayment, decideRefund, INSUFFICIENT_BALANCE, type Payment } from '../src/domain/payment';

const BOOKING = 'b0000000-0000-4000-8000-000000000001';
const USER = 'a0000000-0000-4000-8000-000000000001';
const PAYMENT = 'c0000000-0000-4000-8000-000000000001';
const NOW = new Date('2025-01-01T12:00:00.000Z');

const completed: Payment = { id: PAYMENT, bookingId: BOOKING, userId: USER, amount: 5_000, status: 'COMPLETED', reason: null };
const refundOf = (payment: Payment, overrides: Partial<{ paymentId: string; userId: string; amount: number }> = {}) => ({
  bookingId: payment.bookingId,
  paymentId: payment.id,
  userId: payment.userId,
  amount: payment.amount,
  reason: 'booking expired before the payment settled',
  ...overrides,
});

describe('deciding a payment', () => {
  const request = (amount: number) => ({ paymentId: PAYMENT, bookingId: BOOKING, userId: USER, amount });
  const facts = (amount: number) => ({ paymentId: PAYMENT, bookingId: BOOKING, userId: USER, amount });

  it('given a balance that covers the amount exactly, then it completes, debits the amount and PaymentCompleted says so', () => {
    expect(decidePayment(request(5_000), 5_000)).toEqual({
      kind: 'PaymentCompleted',
      payment: { ...completed },
      debit: 5_000,
      events: [{ type: 'PaymentCompleted', payload: facts(5_000) }],
    });
  });

  it('given a balance one short, then it fails for INSUFFICIENT_BALANCE and PaymentFailed says why', () => {
    expect(decidePayment(request(5_000), 4_999)).toEqual({
      kind: 'PaymentFailed',
      payment: { ...completed, status: 'FAILED', reason: INSUFFICIENT_BALANCE },
      events: [{ type: 'PaymentFailed', payload: { ...facts(5_000), reason: INSUFFICIENT_BALANCE } }],
    });
  });

  it('given a free booking and no money at all, then it completes with nothing to debit', () => {
    expect(decidePayment(request(0), 0)).toMatchObject({ kind: 'PaymentCompleted', debit: 0, events: [{ type: 'PaymentCompleted', payload: facts(0) }] });
  });

  it('refuses an amount no contract allows, as a bug', () => {
    expect(() => decidePayment(request(-1), 10)).toThrow(RangeError);
    expect(() => decidePayment(request(1.5), 10)).toThrow(RangeError);
  });
});

describe('deciding a refund', () => {
  it('given a completed payment, then the whole amount goes back, the payment is REFUNDED for the request’s reason and PaymentRefunded says so', () => {
    expect(decideRefund(completed, refundOf(completed))).toEqual({
      kind: 'RefundGranted',
      payment: { ...completed, status: 'REFUNDED', reason: 'booking expired before the payment settled' },
      credit: 5_000,
      events: [{ type: 'PaymentRefunded', payload: { paymentId: PAYMENT, bookingId: BOOKING, userId: USER, amount: 5_000 } }],
    });
  });

  it('given ids in upper case, then they still match the stored payment', () => {
    const request = refundOf(completed, { paymentId: PAYMENT.toUpperCase(), userId: USER.toUpperCase() });
    expect(decideRefund(completed, request).kind).toBe('RefundGranted');
  });

  it('given a payment already refunded, then nothing more happens', () => {
    const refunded: Payment = { ...completed, status: 'REFUNDED', reason: 'expired' };
    expect(decideRefund(refunded, refundOf(refunded))).toEqual({ kind: 'AlreadyRefunded', payment: refunded });
  });

  it('given a failed payment, then there is nothing to refund', () => {
    const failed: Payment = { ...completed, status: 'FAILED', reason: INSUFFICIENT_BALANCE };
    expect(decideRefund(failed, refundOf(failed))).toEqual({ kind: 'NothingToRefund', payment: failed });
  });

  it('given no payment for the booking, then the payment is unknown', () => {
    expect(decideRefund(null, refundOf(completed))).toEqual({ kind: 'PaymentUnknown' });
  });

  it('given a request naming another payment, payer and amount, then it is a mismatch that names them', () => {
    const request = refundOf(completed, { paymentId: BOOKING, userId: BOOKING, amount: 1 });
    expect(decideRefund(completed, request)).toEqual({ kind: 'RefundMismatch', payment: completed, mismatch: 'paymentId, userId, amount' });
  });
});

/** An in-memory PaymentTransaction: the reactions' choreography without a database. `version` counts the wallet's changes. */
function memoryTransaction(state: { balance: number; version?: number; payment?: Payment }) {
  const written = { debits: [] as Debit[], credits: [] as Credit[], outbox: [] as EventEnvelope[] };
  let ledgerEntryId = 100;
  const record = (change: number) => {
    state.balance += change;
    state.version = (state.version ?? 0) + 1;
    return { ledgerEntryId: ++ledgerEntryId, balanceAfter: state.balance, walletVersion: state.version };
  };
  const tx: PaymentTransaction = {
    lockWallet: async () => ({ balance: state.balance, version: state.version ?? 0 }),
    // As the statement does: nothing at all when the booking has a payment; else the debit, and each WalletDebited given its entry's id.
    recordPayment: async (payment, debit, envelopes) => {
      if (state.payment) return null;
      state.payment = payment;
      const entry = debit ? (written.debits.push(debit), record(-debit.amount)) : null;
      const withEntryId = (e: EventEnvelope) => (e.type === 'WalletDebited' ? { ...e, payload: { ...(e.payload as object), ledgerEntryId: entry!.ledgerEntryId } } : e);
      written.outbox.push(...envelopes.map(withEntryId));
      return { entry };
    },
    credit: async (credit) => (written.credits.push(credit), record(credit.amount)),
    lockPaymentOfBooking: async () => state.payment ?? null,
    markRefunded: async (_id, reason) => {
      state.payment = { ...state.payment!, status: 'REFUNDED', reason };
    },
    appendToOutbox: async (envelopes) => void written.outbox.push(...envelopes),
  };
  return { tx, written };
}

let ids = 0;
const deps = { newId: () => `d0000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`, clock: () => NOW };
const meta = { eventId: 'e0000000-0000-4000-8000-000000000001', streamId: BOOKING, streamVersion: 3, now: NOW, correlationId: 'request-42' };

describe('reacting to PaymentRequested', () => {
  const requested = createEvent('PaymentRequested', { bookingId: BOOKING, userId: USER, amount: 5_000 }, meta);

  it('given enough money, when the request arrives, then it debits once and publishes PaymentCompleted as the first event of the payment stream', async () => {
    const { tx, written } = memoryTransaction({ balance: 8_000, version: 2 });

    const outcome = await collectPayment(deps)(requested, tx);

    expect(outcome).toMatchObject({ kind: 'PaymentCompleted', payment: { status: 'COMPLETED', reason: null, amount: 5_000 } });
    expect(written.debits).toEqual([{ userId: USER, amount: 5_000, reference: `booking:${BOOKING}` }]);
    const [event, walletEvent] = written.outbox;
    expect(written.outbox).toHaveLength(2);
    expect(parseEvent(JSON.stringify(walletEvent)).ok).toBe(true);
    // The wallet's third change: its stream numbers from 0, so version 3 - 1.
    expect(walletEvent).toMatchObject({
      type: 'WalletDebited',
      stream: { type: 'wallet', id: USER },
      streamVersion: 2,
      correlationId: 'request-42',
      causationId: requested.eventId,
      payload: { userId: USER, amount: 5_000, balanceAfter: 3_000, ledgerEntryId: 101, paymentId: event?.stream.id, bookingId: BOOKING },
    });
    expect(parseEvent(JSON.stringify(event)).ok).toBe(true);
    expect(event).toMatchObject({
      type: 'PaymentCompleted',
      stream: { type: 'payment', id: outcome.kind === 'PaymentCompleted' ? outcome.payment.id : '' },
      streamVersion: 0,
      correlationId: 'request-42',
      causationId: requested.eventId,
      occurredAt: NOW.toISOString(),
      payload: { bookingId: BOOKING, userId: USER, amount: 5_000 },
    });
  });

  it('given too little money, then nothing is debited and PaymentFailed says why', async () => {
    const { tx, written } = memoryTransaction({ balance: 4_999 });

    const outcome = await collectPayment(deps)(requested, tx);

    expect(outcome).toMatchObject({ kind: 'PaymentFailed', payment: { status: 'FAILED', reason: INSUFFICIENT_BALANCE } });
    expect(written.debits).toEqual([]);
    expect(written.outbox.map((event) => [event.type, event.payload])).toEqual([
      ['PaymentFailed', expect.objectContaining({ reason: INSUFFICIENT_BALANCE, amount: 5_000 })],
    ]);
  });

  it('given a free booking, then it completes without a ledger entry', async () => {
    const { tx, written } = memoryTransaction({ balance: 0 });
    const free = createEvent('PaymentRequested', { bookingId: BOOKING, userId: USER, amount: 0 }, meta);

    expect((await collectPayment(deps)(free, tx)).kind).toBe('PaymentCompleted');
    expect(written.debits).toEqual([]);
    expect(written.outbox.map((event) => event.type)).toEqual(['PaymentCompleted']);
  });

  it('given a ledger that disagrees with the wallet read under the lock, then it throws (the transaction rolls back) rather than publish a balance the ledger lacks', async () => {
    const { tx } = memoryTransaction({ balance: 8_000, version: 2 });
    const recordPayment = tx.recordPayment;
    tx.recordPayment = async (...args) => {
      const recorded = await recordPayment(...args);
      return recorded && { entry: { ...recorded.entry!, balanceAfter: 2_999 } };
    };

    await expect(collectPayment(deps)(requested, tx)).rejects.toThrow(/not the .*3000/);
  });

  it('given the booking already has a payment, then nothing is debited or published', async () => {
    const { tx, written } = memoryTransaction({ balance: 8_000, payment: completed });

    expect(await collectPayment(deps)(requested, tx)).toEqual({ kind: 'PaymentAlreadyRecorded', bookingId: BOOKING });
    expect(written).toEqual({ debits: [], credits: [], outbox: [] });
  });
});

describe('reacting to RefundRequested', () => {
  const requestFor = (payment: Payment, overrides = {}) => createEvent('RefundRequested', refundOf(payment, overrides), meta);

  it('given a completed payment, then it is refunded once with a REFUND credit and PaymentRefunded as the second event of the stream', async () => {
    const { tx, written } = memoryTransaction({ balance: 0, version: 2, payment: completed });

    const outcome = await refundPayment(deps)(requestFor(completed), tx);

    expect(outcome).toMatchObject({ kind: 'PaymentRefunded', payment: { status: 'REFUNDED', reason: 'booking expired before the payment settled' } });
    expect(written.credits).toEqual([{ userId: USER, amount: 5_000, kind: 'REFUND', reference: `refund:${BOOKING}`, maxBalance: 1_000_000_000 }]);
    expect(written.outbox).toEqual([
      expect.objectContaining({ type: 'PaymentRefunded', stream: { type: 'payment', id: PAYMENT }, streamVersion: 1, causationId: meta.eventId }),
      expect.objectContaining({
        type: 'WalletRefunded',
        stream: { type: 'wallet', id: USER },
        streamVersion: 2,
        causationId: meta.eventId,
        payload: { userId: USER, amount: 5_000, balanceAfter: 5_000, ledgerEntryId: 101, paymentId: PAYMENT, bookingId: BOOKING },
      }),
    ]);
  });

  it('given a request that contradicts the stored payment, then it throws (parked for a human) and moves no money', async () => {
    const { tx, written } = memoryTransaction({ balance: 0, payment: completed });

    await expect(refundPayment(deps)(requestFor(completed, { amount: 9_999 }), tx)).rejects.toThrow(/amount differ/);
    expect(written).toEqual({ debits: [], credits: [], outbox: [] });
  });

  it('given a refund that would lift the wallet above its limit, then it throws rather than lose the money', async () => {
    const { tx } = memoryTransaction({ balance: 0, payment: completed });
    tx.credit = async () => null;

    await expect(refundPayment(deps)(requestFor(completed), tx)).rejects.toThrow(/above 1000000000/);
  });
});
