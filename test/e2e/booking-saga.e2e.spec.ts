import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import {
  addSeats,
  admitFreely,
  admittedFan,
  balanceOf,
  bookingReaches,
  chargeWallet,
  closeDatabases,
  eventually,
  gql,
  holdSeats,
  logInAdmin,
  mapLimit,
  openSchedule,
  payBooking,
  restartService,
  signUpFan,
  sql,
  startIsolatedSystem,
  stopIsolatedSystem,
  useTestSystem,
  type IsolatedSystem,
} from '@ticketing/test-support';
import { loadToolsEnv, runVerify } from '../../scripts/history';

/**
 * The whole saga through the gateway, on a system of its own with short deadlines: holds lapse
 * after 5 s, payments time out after 15 s, the sweeper looks every 200 ms. Faults are real: the
 * payment process is stopped and restarted, consumer groups are rewound as after a crash before
 * the offset commit, and a poison message is parked and redriven.
 */
const HOLD_TTL_SECONDS = 5;
const PAYMENT_TIMEOUT_SECONDS = 15;
const PRICE = 30_000;

let system: IsolatedSystem;
let scheduleId: string;
let seats: string[];
let nextSeat = 0;
const takeSeats = (n: number) => seats.slice(nextSeat, (nextSeat += n));

const kafka = () => new Kafka({ clientId: 'saga-e2e', brokers: system.env['KAFKA_BROKERS']?.split(',') ?? ['127.0.0.1:9092'], logLevel: logLevel.NOTHING });

async function ledger(userId: string) {
  return sql<{ kind: string; amount: number; reference: string }>('payment', 'SELECT kind::text, amount, reference FROM ledger_entries WHERE user_id = $1 ORDER BY id', [userId]);
}

async function fundedFan(amount: number) {
  const fan = await admittedFan(scheduleId);
  if (amount > 0) await chargeWallet(fan, amount);
  return fan;
}

beforeAll(async () => {
  system = await startIsolatedSystem({
    label: 'saga',
    env: {
      HOLD_TTL_SECONDS: String(HOLD_TTL_SECONDS),
      PAYMENT_TIMEOUT_SECONDS: String(PAYMENT_TIMEOUT_SECONDS),
      SWEEP_INTERVAL_MS: '200',
      LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'warn',
    },
  });
  useTestSystem(system);
  scheduleId = await openSchedule();
  seats = await addSeats(scheduleId, 100, PRICE);
  await admitFreely(scheduleId);
}, 180_000);

afterAll(async () => {
  await closeDatabases();
  if (system) await stopIsolatedSystem(system);
});

describe('the booking saga', () => {
  it('confirms a paid booking: one debit, the full history, seats SOLD in the catalog, the queue ticket retired', async () => {
    const fan = await fundedFan(100_000);
    const chosen = takeSeats(2);
    const { booking } = await holdSeats(fan, scheduleId, chosen);
    const paid = await payBooking(fan, booking!.id);
    expect(paid.booking?.status).toBe('PAYMENT_PENDING');
    const confirmed = await bookingReaches(fan, booking!.id, ['CONFIRMED', 'CANCELLED']);
    expect(confirmed.status).toBe('CONFIRMED');
    expect(confirmed.heldUntil).toBeNull();
    expect(confirmed.history.map((h) => h.status)).toEqual(['HELD', 'PAYMENT_PENDING', 'CONFIRMED']);
    expect(await balanceOf(fan)).toBe(100_000 - 2 * PRICE);
    expect(await ledger(fan.id)).toEqual([
      expect.objectContaining({ kind: 'CHARGE', amount: 100_000 }),
      expect.objectContaining({ kind: 'PAYMENT', amount: -2 * PRICE, reference: `booking:${booking!.id}` }),
    ]);
    await eventually(async () => {
      const rows = await sql<{ status: string }>('concert', 'SELECT status::text FROM seats WHERE id = ANY($1::uuid[])', [chosen]);
      return rows.every((row) => row.status === 'SOLD');
    }, 30_000, 'seats SOLD in the catalog');
    await eventually(async () => {
      const read = await gql<{ queueTicket: { status: string } | null }>('query T($t: String!) { queueTicket(token: $t) { status } }', { t: fan.queueToken }, { token: fan.token });
      return read.data?.queueTicket?.status === 'EXPIRED';
    }, 30_000, 'the queue ticket retired');
  });

  it('cancels on insufficient balance: seats free again, balance unchanged, the reason in the history', async () => {
    const fan = await fundedFan(1_000);
    const chosen = takeSeats(1);
    const { booking } = await holdSeats(fan, scheduleId, chosen);
    await payBooking(fan, booking!.id);
    const ended = await bookingReaches(fan, booking!.id, ['CONFIRMED', 'CANCELLED']);
    expect(ended.status).toBe('CANCELLED');
    expect(ended.history.at(-1)?.reason).toMatch(/INSUFFICIENT_BALANCE/);
    expect(await balanceOf(fan)).toBe(1_000);
    const next = await admittedFan(scheduleId);
    expect((await holdSeats(next, scheduleId, chosen)).booking?.status).toBe('HELD');
  });

  it('debits once for 20 concurrent payBooking calls with one key', async () => {
    const fan = await fundedFan(200_000);
    const { booking } = await holdSeats(fan, scheduleId, takeSeats(1));
    const key = `pay-${randomUUID()}`;
    const results = await Promise.all(Array.from({ length: 20 }, () => payBooking(fan, booking!.id, key)));
    expect(results.every((r) => r.booking?.id === booking!.id)).toBe(true);
    await bookingReaches(fan, booking!.id, ['CONFIRMED']);
    // A late replay of the same key still answers the same booking, and still debits nothing.
    expect((await payBooking(fan, booking!.id, key)).booking?.status).toBe('CONFIRMED');
    expect(await balanceOf(fan)).toBe(200_000 - PRICE);
    expect((await ledger(fan.id)).filter((e) => e.kind === 'PAYMENT')).toHaveLength(1);
  });

  it('expires an unpaid hold after HOLD_TTL_SECONDS; the seat can be held again and paying is INVALID_STATE', async () => {
    const fan = await fundedFan(100_000);
    const chosen = takeSeats(1);
    const { booking } = await holdSeats(fan, scheduleId, chosen);
    const expired = await bookingReaches(fan, booking!.id, ['EXPIRED'], 30_000);
    expect(expired.history.at(-1)).toEqual({ status: 'EXPIRED', reason: 'hold expired before payment' });
    expect((await payBooking(fan, booking!.id)).code).toBe('INVALID_STATE');
    const next = await admittedFan(scheduleId);
    expect((await holdSeats(next, scheduleId, chosen)).booking?.status).toBe('HELD');
    expect(await balanceOf(fan)).toBe(100_000);
  });

  it('completes a payment requested while the payment subgraph was down, once it is back', async () => {
    const fan = await fundedFan(100_000);
    let booking: { id: string } | null = null;
    await restartService(system, 'payment', async () => {
      // Held only once payment is down: a slow stop must not eat the short hold.
      booking = (await holdSeats(fan, scheduleId, takeSeats(1))).booking;
      expect((await payBooking(fan, booking!.id)).booking?.status).toBe('PAYMENT_PENDING');
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect((await sql<{ status: string }>('booking', 'SELECT status::text FROM bookings WHERE id = $1', [booking!.id]))[0]?.status).toBe('PAYMENT_PENDING');
    });
    expect((await bookingReaches(fan, booking!.id, ['CONFIRMED', 'CANCELLED'])).status).toBe('CONFIRMED');
    expect(await balanceOf(fan)).toBe(100_000 - PRICE);
  });

  it('refunds a payment that completes after the booking timed out: the ledger shows the debit and the refund', async () => {
    const fan = await fundedFan(100_000);
    let booking: { id: string } | null = null;
    await restartService(system, 'payment', async () => {
      booking = (await holdSeats(fan, scheduleId, takeSeats(1))).booking;
      expect((await payBooking(fan, booking!.id)).booking?.status).toBe('PAYMENT_PENDING');
      const cancelled = await bookingReaches(fan, booking!.id, ['CANCELLED'], (PAYMENT_TIMEOUT_SECONDS + 10) * 1000);
      expect(cancelled.history.at(-1)?.reason).toBe('payment timed out');
    });
    await eventually(async () => (await ledger(fan.id)).some((e) => e.kind === 'REFUND'), 30_000, 'the refund in the ledger');
    expect(await balanceOf(fan)).toBe(100_000);
    expect((await ledger(fan.id)).map((e) => [e.kind, e.amount])).toEqual([
      ['CHARGE', 100_000],
      ['PAYMENT', -PRICE],
      ['REFUND', PRICE],
    ]);
    const [payment] = await sql<{ status: string }>('payment', 'SELECT status::text FROM payments WHERE booking_id = $1', [booking!.id]);
    expect(payment?.status).toBe('REFUNDED');
    const final = await bookingReaches(fan, booking!.id, ['CANCELLED']);
    expect(final.history.at(-1)?.reason).toMatch(/refund requested/);
  }, 90_000);

  it('changes nothing when every saga message is delivered again (a crash after the effect, before the offset commit)', async () => {
    // Some settled bookings to replay.
    const fans = await mapLimit(Array.from({ length: 5 }), 5, () => fundedFan(100_000));
    const bookings = await Promise.all(fans.map(async (fan) => (await holdSeats(fan, scheduleId, takeSeats(1))).booking!));
    await Promise.all(fans.map((fan, i) => payBooking(fan, bookings[i]!.id)));
    await Promise.all(fans.map((fan, i) => bookingReaches(fan, bookings[i]!.id, ['CONFIRMED'])));
    const snapshot = async () => ({
      ledger: await sql('payment', 'SELECT user_id, kind::text, amount, reference FROM ledger_entries ORDER BY id'),
      wallets: await sql('payment', 'SELECT user_id, balance FROM wallets ORDER BY user_id'),
      transitions: await sql('booking', 'SELECT booking_id, version, status::text FROM booking_transitions ORDER BY booking_id, version'),
      outbox: await sql('booking', 'SELECT count(*)::int AS n FROM outbox'),
    });
    const before = await snapshot();

    const admin = kafka().admin();
    await admin.connect();
    const prefix = system.env['KAFKA_TOPIC_PREFIX']!;
    const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter((id) => id.startsWith(prefix));
    const rewind = async (service: string) => {
      for (const groupId of groups.filter((id) => id.startsWith(`${prefix}${service}.`) && !id.endsWith('.realtime'))) {
        const topics = (await admin.fetchOffsets({ groupId })).map((t) => t.topic);
        for (const topic of topics) await admin.resetOffsets({ groupId, topic, earliest: true });
      }
    };
    // A crash between the effect's commit and the offset commit leaves the group's offsets
    // behind its effects. Rewinding the stopped groups to the very beginning produces that state
    // for every message at once. (Stopped with SIGTERM: after a SIGKILL the broker keeps the dead
    // member for its session timeout and refuses the rewind meanwhile.)
    await restartService(system, 'payment', () => rewind('payment'));
    await restartService(system, 'booking', () => rewind('booking'));
    await admin.disconnect();
    // Let both consumers work through everything again.
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    expect(await snapshot()).toEqual(before);
  }, 120_000);

  it('parks a poison message on the dead-letter topic; an admin lists it and redrives it once it can be handled', async () => {
    const admin = await logInAdmin();
    const producer = kafka().producer();
    await producer.connect();
    const topic = `${system.env['KAFKA_TOPIC_PREFIX']}payment.events`;
    await producer.send({ topic, messages: [{ key: 'poison', value: '{"not": "an envelope"', headers: { 'event-type': 'Garbage' } }] });
    await producer.disconnect();
    const listed = await eventually(async () => {
      const response = await gql<{ deadLetters: Array<{ partition: number; offset: string; reason: string; eventType: string; consumer: string }> }>(
        'query { deadLetters(source: PAYMENT_EVENTS) { partition offset reason eventType consumer } }',
        {},
        { token: admin },
      );
      return response.data?.deadLetters.find((letter) => letter.eventType === 'Garbage');
    }, 30_000, 'the poison message listed');
    expect(listed.reason).toMatch(/malformed/);
    const fan = await signUpFan();
    expect((await gql('query { deadLetters(source: PAYMENT_EVENTS) { offset } }', {}, { token: fan.token })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const redriven = await gql<{ redriveDeadLetter: { offset: string } }>(
      'mutation R($p: Int!, $o: String!) { redriveDeadLetter(source: PAYMENT_EVENTS, partition: $p, offset: $o) { offset } }',
      { p: listed.partition, o: listed.offset },
      { token: admin },
    );
    expect(redriven.data?.redriveDeadLetter.offset).toBe(listed.offset);
    // Still unreadable, so it is parked a second time: the redrive really went back through the consumer.
    await eventually(async () => {
      const response = await gql<{ deadLetters: Array<{ eventType: string }> }>('query { deadLetters(source: PAYMENT_EVENTS) { eventType } }', {}, { token: admin });
      return (response.data?.deadLetters.filter((letter) => letter.eventType === 'Garbage').length ?? 0) >= 2;
    }, 30_000, 'the redriven message parked again');
  }, 90_000);
});

describe('the history after the saga', () => {
  it('folds every booking and wallet stream of the store to exactly the tables: history:verify finds 0 differences', async () => {
    const env = loadToolsEnv({ ...process.env, ...system.env });
    // The archiver trails the saga by a Kafka hop: wait for it; on a timeout the last report's differences fail the test.
    let report = await runVerify({ env });
    await eventually(async () => (report = await runVerify({ env })).differences.length === 0 && true, 60_000, 'history:verify = 0 differences').catch(() => undefined);

    expect(report.differences).toEqual([]);
    const [counts] = await sql<{ n: number }>('booking', 'SELECT count(*)::int AS n FROM bookings');
    expect(report.bookings).toEqual({ inStore: counts!.n, inDatabase: counts!.n });
    expect(report.wallets.inStore).toBe(report.wallets.inDatabase);
  }, 90_000);
});
