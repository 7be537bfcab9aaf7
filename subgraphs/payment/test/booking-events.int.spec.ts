import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { deadLetterTopicFor, parseEvent } from '@ticketing/contracts';
import { createDeadLetters, type MessageBus } from '@ticketing/messaging';
import {
  bookingEvent,
  createBus,
  deliverer,
  deliverTogether,
  ensureTopics,
  fund,
  logger,
  outboxOf,
  paymentsOf,
  scratchPayment,
  unbalancedWallets,
  walletOf,
} from './support';

/**
 * The payment consumer's effects on a real, freshly migrated payment database, each message
 * going through the messaging package's processing (inbox + handler in one transaction).
 */
describe('payment consumer of booking.events', () => {
  let db: { pool: Pool; drop: () => Promise<void> };
  let bus: MessageBus;
  let topic: string;
  let deliver: ReturnType<typeof deliverer>;

  beforeAll(async () => {
    bus = createBus('handler');
    topic = `test.${randomUUID()}.booking.events`;
    await ensureTopics(bus, [topic, deadLetterTopicFor(topic)]);
  });
  afterAll(() => bus.close());

  beforeEach(async () => {
    db = await scratchPayment();
    deliver = deliverer({ pool: db.pool, bus, topic });
  });
  afterEach(async () => {
    try {
      expect(await unbalancedWallets(db.pool)).toEqual([]);
    } finally {
      await db.drop();
    }
  });

  const paymentRequested = (bookingId: string, userId: string, amount: number) => bookingEvent('PaymentRequested', { bookingId, userId, amount });
  const refundRequested = (payment: { id: string; booking_id: string; user_id: string; amount: number }, overrides = {}) =>
    bookingEvent('RefundRequested', {
      bookingId: payment.booking_id,
      paymentId: payment.id,
      userId: payment.user_id,
      amount: payment.amount,
      reason: 'the booking expired before the payment settled',
      ...overrides,
    });
  const inboxCount = async () => Number((await db.pool.query<{ n: string }>('SELECT count(*) AS n FROM inbox')).rows[0]?.n);

  describe('PaymentRequested', () => {
    it('given a balance of 10000, when 7000 is requested, then the payment completes, 3000 is left, the ledger shows the debit and PaymentCompleted is in the outbox', async () => {
      const [userId, bookingId] = [randomUUID(), randomUUID()];
      await fund(db.pool, userId, 10_000);
      const request = paymentRequested(bookingId, userId, 7_000);

      expect(await deliver(request)).toBe('handled');

      const [payment] = await paymentsOf(db.pool, [bookingId]);
      expect(payment).toMatchObject({ booking_id: bookingId, user_id: userId, amount: 7_000, status: 'COMPLETED', reason: null });
      expect(await walletOf(db.pool, userId)).toEqual({
        balance: 3_000,
        version: 2,
        ledger: [
          { kind: 'CHARGE', amount: 10_000, balance_after: 10_000, reference: expect.stringMatching(/^charge:/) },
          { kind: 'PAYMENT', amount: -7_000, balance_after: 3_000, reference: `booking:${bookingId}` },
        ],
      });
      const [row, ...more] = await outboxOf(db.pool, [payment!.id]);
      expect(more).toEqual([]);
      expect(row).toMatchObject({ aggregate_type: 'payment', aggregate_id: payment!.id, event_type: 'PaymentCompleted', headers: { 'correlation-id': request.correlationId } });
      const published = parseEvent(JSON.stringify(row!.payload));
      expect(published.ok && published.value).toMatchObject({
        eventId: row!.id,
        type: 'PaymentCompleted',
        stream: { type: 'payment', id: payment!.id },
        streamVersion: 0,
        correlationId: request.correlationId,
        causationId: request.eventId,
        payload: { paymentId: payment!.id, bookingId, userId, amount: 7_000 },
      });
    });

    it('given a balance of exactly the amount, then it completes and leaves 0', async () => {
      const [userId, bookingId] = [randomUUID(), randomUUID()];
      await fund(db.pool, userId, 5_000);

      expect(await deliver(paymentRequested(bookingId, userId, 5_000))).toBe('handled');

      expect((await paymentsOf(db.pool, [bookingId]))[0]?.status).toBe('COMPLETED');
      expect((await walletOf(db.pool, userId)).balance).toBe(0);
    });

    it('given a balance one short, then the payment FAILS with INSUFFICIENT_BALANCE, the balance is unchanged and PaymentFailed is in the outbox', async () => {
      const [userId, bookingId] = [randomUUID(), randomUUID()];
      await fund(db.pool, userId, 4_999);
      const before = await walletOf(db.pool, userId);

      expect(await deliver(paymentRequested(bookingId, userId, 5_000))).toBe('handled');

      const [payment] = await paymentsOf(db.pool, [bookingId]);
      expect(payment).toMatchObject({ status: 'FAILED', reason: 'INSUFFICIENT_BALANCE', amount: 5_000 });
      expect(await walletOf(db.pool, userId)).toEqual(before);
      const outbox = await outboxOf(db.pool, [payment!.id]);
      expect(outbox.map((row) => [row.event_type, (row.payload as { payload: unknown }).payload])).toEqual([
        ['PaymentFailed', { paymentId: payment!.id, bookingId, userId, amount: 5_000, reason: 'INSUFFICIENT_BALANCE' }],
      ]);
    });

    it('given a user who never charged a wallet, then the payment fails and no wallet appears', async () => {
      const [userId, bookingId] = [randomUUID(), randomUUID()];

      await deliver(paymentRequested(bookingId, userId, 1));

      expect((await paymentsOf(db.pool, [bookingId]))[0]).toMatchObject({ status: 'FAILED', reason: 'INSUFFICIENT_BALANCE' });
      expect(await walletOf(db.pool, userId)).toEqual({ balance: null, version: null, ledger: [] });
    });

    it('given a free booking (amount 0), then it completes with no ledger entry and no wallet change', async () => {
      const [userId, bookingId] = [randomUUID(), randomUUID()];
      await fund(db.pool, userId, 100);

      await deliver(paymentRequested(bookingId, userId, 0));

      const [payment] = await paymentsOf(db.pool, [bookingId]);
      expect(payment).toMatchObject({ status: 'COMPLETED', amount: 0 });
      expect(await walletOf(db.pool, userId)).toMatchObject({ balance: 100, version: 1, ledger: [expect.objectContaining({ kind: 'CHARGE' })] });
      expect((await outboxOf(db.pool, [payment!.id])).map((row) => row.event_type)).toEqual(['PaymentCompleted']);
    });

    it('given the same event delivered twice, then it debits once and publishes once', async () => {
      const [userId, bookingId] = [randomUUID(), randomUUID()];
      await fund(db.pool, userId, 10_000);
      const request = paymentRequested(bookingId, userId, 2_500);

      expect(await deliver(request)).toBe('handled');
      expect(await deliver(request)).toBe('duplicate');

      const payments = await paymentsOf(db.pool, [bookingId]);
      expect(payments).toHaveLength(1);
      expect(await walletOf(db.pool, userId)).toMatchObject({ balance: 7_500, ledger: [expect.anything(), expect.objectContaining({ amount: -2_500 })] });
      expect(await outboxOf(db.pool, [payments[0]!.id])).toHaveLength(1);
    });

    it('given requests of three users fetched together, one of them twice with money for one only, then their wallets are locked in one statement and each debit decides on what the last one left', async () => {
      const [ann, bob, cat] = [randomUUID(), randomUUID(), randomUUID()];
      await fund(db.pool, ann, 10_000);
      await fund(db.pool, bob, 6_000);
      // cat never charged a wallet.
      const bookings = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
      const requests = [paymentRequested(bookings[0]!, ann, 7_000), paymentRequested(bookings[1]!, bob, 5_000), paymentRequested(bookings[2]!, ann, 7_000), paymentRequested(bookings[3]!, cat, 1_000)];
      const statements: string[] = [];

      expect(await deliverTogether({ pool: db.pool, bus, topic }, requests, statements)).toEqual(['handled', 'handled', 'handled', 'handled']);

      // BEGIN with the inbox insert, the three wallets, then a write per payment, except ann's
      // second: her wallet is read again, after her first debit.
      expect(statements).toEqual(['BEGIN;', 'SELECT', 'WITH', 'WITH', 'SELECT', 'WITH', 'WITH', 'COMMIT']);
      const payments = await paymentsOf(db.pool, bookings);
      expect(bookings.map((id) => payments.find((payment) => payment.booking_id === id)?.status)).toEqual(['COMPLETED', 'COMPLETED', 'FAILED', 'FAILED']);
      expect((await walletOf(db.pool, ann)).balance).toBe(3_000);
      expect((await walletOf(db.pool, bob)).balance).toBe(1_000);
      expect((await db.pool.query('SELECT 1 FROM wallets WHERE user_id = $1', [cat])).rowCount).toBe(0);
    });

    it('RACE: 8 batches at once, each paying for the same 5 users in its own order, with money for only some: each booking is paid once and no balance goes negative', async () => {
      const users = Array.from({ length: 5 }, () => randomUUID());
      for (const user of users) await fund(db.pool, user, 10_000);
      // 40 bookings of 3,000 each: 8 per user against 10,000, so 3 of each user's complete.
      const batches = Array.from({ length: 8 }, (_, b) => {
        const order = b % 2 === 0 ? users : [...users].reverse();
        return order.map((user) => paymentRequested(randomUUID(), user, 3_000));
      });

      const outcomes = await Promise.all(batches.map((batch) => deliverTogether({ pool: db.pool, bus, topic }, batch)));

      expect(outcomes.flat()).toEqual(Array(40).fill('handled'));
      const payments = await paymentsOf(db.pool, batches.flat().map((request) => request.payload.bookingId));
      expect(payments).toHaveLength(40);
      for (const user of users) {
        const theirs = payments.filter((payment) => payment.user_id === user);
        expect(theirs.filter((payment) => payment.status === 'COMPLETED')).toHaveLength(3);
        expect((await walletOf(db.pool, user)).balance).toBe(1_000);
      }
    });

    it('RACE: 20 different PaymentRequested events for ONE booking at once debit exactly once', async () => {
      const [userId, bookingId] = [randomUUID(), randomUUID()];
      await fund(db.pool, userId, 100_000);
      const requests = Array.from({ length: 20 }, () => paymentRequested(bookingId, userId, 3_000));

      const outcomes = await Promise.all(requests.map((request) => deliver(request)));

      expect(outcomes).toEqual(Array(20).fill('handled'));
      const payments = await paymentsOf(db.pool, [bookingId]);
      expect(payments).toHaveLength(1);
      const wallet = await walletOf(db.pool, userId);
      expect(wallet.balance).toBe(97_000);
      expect(wallet.ledger.filter((entry) => entry.kind === 'PAYMENT')).toEqual([
        { kind: 'PAYMENT', amount: -3_000, balance_after: 97_000, reference: `booking:${bookingId}` },
      ]);
      expect(await outboxOf(db.pool, [payments[0]!.id])).toHaveLength(1);
      // Each event is still recorded as handled: a redelivery of any of them is a duplicate.
      expect(await inboxCount()).toBe(20);
    });

    it('RACE: 50 bookings of one user paid at once, with money for only some: the balance never goes negative and the ledger explains every debit', async () => {
      const userId = randomUUID();
      const initial = 20_000;
      await fund(db.pool, userId, initial);
      // 50 amounts from 500 to 1480 (sum 49,500): roughly 40% can be paid.
      const bookings = Array.from({ length: 50 }, (_, i) => ({ bookingId: randomUUID(), amount: 500 + 20 * i }));

      const outcomes = await Promise.all(bookings.map(({ bookingId, amount }) => deliver(paymentRequested(bookingId, userId, amount))));

      expect(outcomes).toEqual(Array(50).fill('handled'));
      const payments = await paymentsOf(db.pool, bookings.map((b) => b.bookingId));
      expect(payments).toHaveLength(50);
      const completed = payments.filter((p) => p.status === 'COMPLETED');
      const failed = payments.filter((p) => p.status === 'FAILED');
      expect(completed.length).toBeGreaterThan(0);
      expect(failed.length).toBeGreaterThan(0);

      const wallet = await walletOf(db.pool, userId);
      const debits = wallet.ledger.filter((entry) => entry.kind === 'PAYMENT');
      const paid = completed.reduce((sum, p) => sum + p.amount, 0);
      expect(wallet.balance).toBeGreaterThanOrEqual(0);
      expect(initial - wallet.balance!).toBe(paid);
      expect(debits.reduce((sum, entry) => sum - entry.amount, 0)).toBe(paid);
      expect(debits.map((entry) => entry.reference).sort()).toEqual(completed.map((p) => `booking:${p.booking_id}`).sort());
      expect(wallet.ledger.every((entry) => entry.balance_after >= 0)).toBe(true);
      // Each refusal saw a balance below its amount, and balances only fell after it.
      for (const refused of failed) expect(refused.amount).toBeGreaterThan(wallet.balance!);
      expect(wallet.version).toBe(1 + completed.length);

      const outbox = await outboxOf(db.pool, payments.map((p) => p.id));
      expect(outbox.filter((row) => row.event_type === 'PaymentCompleted')).toHaveLength(completed.length);
      expect(outbox.filter((row) => row.event_type === 'PaymentFailed')).toHaveLength(failed.length);
    });
  });

  describe('RefundRequested', () => {
    async function completedPayment(amount = 4_000) {
      const [userId, bookingId] = [randomUUID(), randomUUID()];
      await fund(db.pool, userId, 10_000);
      await deliver(paymentRequested(bookingId, userId, amount));
      const [payment] = await paymentsOf(db.pool, [bookingId]);
      expect(payment?.status).toBe('COMPLETED');
      return payment!;
    }

    it('given a completed payment, then it becomes REFUNDED, the money is back, the ledger has both entries and PaymentRefunded follows PaymentCompleted', async () => {
      const payment = await completedPayment(4_000);
      const request = refundRequested(payment);

      expect(await deliver(request)).toBe('handled');

      expect((await paymentsOf(db.pool, [payment.booking_id]))[0]).toMatchObject({ status: 'REFUNDED', reason: 'the booking expired before the payment settled' });
      const wallet = await walletOf(db.pool, payment.user_id);
      expect(wallet.balance).toBe(10_000);
      expect(wallet.ledger.slice(1)).toEqual([
        { kind: 'PAYMENT', amount: -4_000, balance_after: 6_000, reference: `booking:${payment.booking_id}` },
        { kind: 'REFUND', amount: 4_000, balance_after: 10_000, reference: `refund:${payment.booking_id}` },
      ]);
      const outbox = await outboxOf(db.pool, [payment.id]);
      expect(outbox.map((row) => row.event_type)).toEqual(['PaymentCompleted', 'PaymentRefunded']);
      expect(outbox[1]!.payload).toMatchObject({
        streamVersion: 1,
        causationId: request.eventId,
        payload: { paymentId: payment.id, bookingId: payment.booking_id, userId: payment.user_id, amount: 4_000 },
      });
    });

    it('given the refund delivered twice and requested again under another event id, then the money comes back once', async () => {
      const payment = await completedPayment(4_000);
      const request = refundRequested(payment);

      expect(await deliver(request)).toBe('handled');
      expect(await deliver(request)).toBe('duplicate');
      expect(await deliver(refundRequested(payment))).toBe('handled');

      const wallet = await walletOf(db.pool, payment.user_id);
      expect(wallet.balance).toBe(10_000);
      expect(wallet.ledger.filter((entry) => entry.kind === 'REFUND')).toHaveLength(1);
      expect((await outboxOf(db.pool, [payment.id])).map((row) => row.event_type)).toEqual(['PaymentCompleted', 'PaymentRefunded']);
    });

    it('RACE: 10 refund requests for one payment at once give the money back once', async () => {
      const payment = await completedPayment(4_000);

      const outcomes = await Promise.all(Array.from({ length: 10 }, () => deliver(refundRequested(payment))));

      expect(outcomes).toEqual(Array(10).fill('handled'));
      const wallet = await walletOf(db.pool, payment.user_id);
      expect(wallet.balance).toBe(10_000);
      expect(wallet.ledger.filter((entry) => entry.kind === 'REFUND')).toHaveLength(1);
    });

    it('given a FAILED payment, then a refund changes nothing', async () => {
      const [userId, bookingId] = [randomUUID(), randomUUID()];
      await fund(db.pool, userId, 10);
      await deliver(paymentRequested(bookingId, userId, 5_000));
      const [payment] = await paymentsOf(db.pool, [bookingId]);
      const before = await walletOf(db.pool, userId);

      expect(await deliver(refundRequested(payment!))).toBe('handled');

      expect((await paymentsOf(db.pool, [bookingId]))[0]).toEqual(payment);
      expect(await walletOf(db.pool, userId)).toEqual(before);
      expect((await outboxOf(db.pool, [payment!.id])).map((row) => row.event_type)).toEqual(['PaymentFailed']);
    });

    it('given a booking payment never saw, then a refund changes nothing', async () => {
      const ghost = { id: randomUUID(), booking_id: randomUUID(), user_id: randomUUID(), amount: 100 };

      expect(await deliver(refundRequested(ghost))).toBe('handled');

      expect(await paymentsOf(db.pool, [ghost.booking_id])).toEqual([]);
      expect(await walletOf(db.pool, ghost.user_id)).toEqual({ balance: null, version: null, ledger: [] });
    });

    it('given a refund that names another amount than was paid, then it is parked on the dead-letter topic and no money moves', async () => {
      const payment = await completedPayment(4_000);
      const before = await walletOf(db.pool, payment.user_id);
      const wrong = refundRequested(payment, { amount: 40_000 });

      expect(await deliver(wrong)).toBe('dead-lettered');

      expect((await paymentsOf(db.pool, [payment.booking_id]))[0]?.status).toBe('COMPLETED');
      expect(await walletOf(db.pool, payment.user_id)).toEqual(before);
      // Rolled back with the effect: a redrive after a fix is not mistaken for a duplicate.
      expect((await db.pool.query('SELECT 1 FROM inbox WHERE event_id = $1', [wrong.eventId])).rowCount).toBe(0);
      const parked = await createDeadLetters({ bus, logger }).list(deadLetterTopicFor(topic), 1_000);
      expect(parked.find((message) => message.value?.includes(wrong.eventId))?.reason).toMatch(/^handler failed: .*amount differ/);
    });
  });

  it('acknowledges booking events that are not about money without any effect or inbox row', async () => {
    const bookingId = randomUUID();
    const held = bookingEvent('SeatsHeld', {
      bookingId,
      userId: randomUUID(),
      scheduleId: randomUUID(),
      seatIds: [randomUUID()],
      amount: 1_000,
      heldUntil: new Date().toISOString(),
      queueTicketId: 'ticket-1',
      seatSequence: 1,
    });

    expect(await deliver(held)).toBe('ignored');

    expect(await paymentsOf(db.pool, [bookingId])).toEqual([]);
    expect((await db.pool.query('SELECT 1 FROM outbox')).rowCount).toBe(0);
    expect((await db.pool.query('SELECT 1 FROM inbox WHERE event_id = $1', [held.eventId])).rowCount).toBe(0);
  });
});
