import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { createLogger, prometheus, type Metrics } from '@ticketing/platform';
import { closeDatabases, createScratchPool } from '@ticketing/test-support';
import { cancel, confirm, hold, requestPayment, type Transitioned } from '../src/domain/booking';
import type { SagaFacts, StoredBooking } from '../src/application/ports';
import { createOverdueSweeper } from '../src/application/overdue-sweeper';
import { recordFanHold, recordStep } from '../src/application/record-transition';
import { createBookingMetrics } from '../src/adapters/metrics/booking.metrics';
import { createPgBookingWriter } from '../src/adapters/persistence/pg-booking.writer';

/*
 * Booking's business metrics count what committed, from the writes themselves: each step moves
 * its counter by exactly one, the saga histogram gets the booking's own PAYMENT_PENDING → end
 * time, and a rolled-back step counts nothing.
 */

type Registry = Metrics['registry'];

async function valueOf(registry: Registry, name: string, labels: Record<string, string> = {}): Promise<number> {
  const { values } = await registry.getSingleMetric(name)!.get();
  const found = values.find((value) => Object.entries(labels).every(([key, wanted]) => value.labels[key] === wanted));
  return found?.value ?? 0;
}

describe('booking metrics from committed steps (PostgreSQL)', () => {
  let db: { pool: Pool; drop: () => Promise<void> };
  let registry: Registry;
  let writer: ReturnType<typeof createPgBookingWriter>;
  const causation = { correlationId: 'test', causationId: null };
  const fan = randomUUID();
  const t0 = new Date('2026-12-01T10:00:00.000Z');
  const at = (ms: number) => new Date(t0.getTime() + ms);

  beforeAll(async () => {
    db = await createScratchPool('booking', 5);
  });
  beforeEach(() => {
    registry = new prometheus.Registry<Registry['contentType']>();
    writer = createPgBookingWriter(db.pool, createBookingMetrics({ registry }).stepsCommitted);
  });
  afterAll(async () => {
    await db.drop();
    await closeDatabases();
  });

  async function held(now: Date): Promise<string> {
    const decided = hold(
      { bookingId: randomUUID(), userId: fan, scheduleId: randomUUID(), queueTicketId: `ticket-${randomUUID()}`, seats: [{ seatId: randomUUID(), price: 100 }], holdTtlSeconds: 60 },
      now,
    );
    if (decided.kind !== 'Transitioned') throw new Error(decided.kind);
    await recordFanHold(writer, decided, causation, { maxSeatsPerFan: 100 });
    return decided.booking.id;
  }

  const step = (bookingId: string, move: (booking: StoredBooking) => Transitioned | { kind: string }, facts: SagaFacts = {}) =>
    writer.transaction(async (tx) => {
      const before = (await tx.lock(bookingId))!;
      const next = move(before);
      if (next.kind !== 'Transitioned') throw new Error(next.kind);
      await recordStep(tx, before, next as Transitioned, causation, facts);
    });

  it('given a paid booking confirmed 1.5 s after payBooking, a paid one cancelled, one cancelled by its fan and one expired, each counter moved by one and the saga took 1.5 s', async () => {
    const paid = await held(t0);
    await step(paid, (b) => requestPayment(b, fan, at(0)), { paymentIdempotencyKey: randomUUID(), paymentRequestedAt: at(0) });
    await step(paid, (b) => confirm(b, randomUUID(), at(1_500)));

    const failed = await held(t0);
    await step(failed, (b) => requestPayment(b, fan, at(0)), { paymentIdempotencyKey: randomUUID(), paymentRequestedAt: at(0) });
    await step(failed, (b) => cancel(b, { kind: 'PaymentFailed', reason: 'INSUFFICIENT_BALANCE' }, at(250)));

    await step(await held(t0), (b) => cancel(b, { kind: 'CancelledByOwner', userId: fan }, at(100)));

    await held(new Date(Date.now() - 120_000));
    const sweeper = createOverdueSweeper({ writer, paymentTimeoutSeconds: 3_600, intervalMs: 60_000, logger: createLogger('test', 'warn') });
    // The scratch database holds only this test's bookings, so the sweep ends exactly the lapsed one.
    expect(await sweeper.sweepOnce()).toBe(1);

    expect(await valueOf(registry, 'booking_payment_requests_total')).toBe(2);
    expect(await valueOf(registry, 'booking_confirmations_total')).toBe(1);
    expect(await valueOf(registry, 'booking_cancellations_total', { from: 'payment_pending' })).toBe(1);
    expect(await valueOf(registry, 'booking_cancellations_total', { from: 'held' })).toBe(1);
    expect(await valueOf(registry, 'booking_expiries_total')).toBe(1);
    const histogram = (await registry.getSingleMetric('booking_saga_duration_seconds')!.get()).values as Array<{ value: number; labels: Record<string, unknown>; metricName?: string }>;
    const sum = (outcome: string) => histogram.find((v) => v.metricName === 'booking_saga_duration_seconds_sum' && v.labels['outcome'] === outcome)?.value;
    const count = (outcome: string) => histogram.find((v) => v.metricName === 'booking_saga_duration_seconds_count' && v.labels['outcome'] === outcome)?.value;
    expect([count('confirmed'), sum('confirmed')]).toEqual([1, 1.5]);
    expect([count('cancelled'), sum('cancelled')]).toEqual([1, 0.25]);
  });

  it('counts nothing for a step whose transaction rolled back', async () => {
    const booking = await held(t0);
    await expect(
      writer.transaction(async (tx) => {
        const before = (await tx.lock(booking))!;
        await recordStep(tx, before, cancel(before, { kind: 'CancelledByOwner', userId: fan }, at(10)) as Transitioned, causation);
        throw new Error('the caller fails after the write');
      }),
    ).rejects.toThrow('the caller fails after the write');
    expect(await valueOf(registry, 'booking_cancellations_total', { from: 'held' })).toBe(0);
  });
});
