/**
 * The end state, read straight from the three databases once the saga has settled (reading is fine
 * for an audit; every write of the run went through the gateway). The run's databases are its own,
 * so the checks cover all of them (warm-up included); the summary counts the measured schedule.
 * A failed check fails the run.
 */
import { Client } from 'pg';
import type { HeldBooking } from './hold-phase';
import type { Payment } from './pay-phase';
import type { Fan } from './setup';

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export interface AuditResult {
  checks: Check[];
  ok: boolean;
  /** Bookings of the measured schedule by status: count and amount. */
  bookings: Record<string, { count: number; amount: number }>;
  /** Seats of the measured schedule SOLD in the catalog. */
  soldSeats: number;
  /** How long the saga and the seat projection took to come to rest after the pay phase. */
  settleSeconds: number;
  ledger: { charges: number; debits: number; refunds: number };
}

export interface Databases {
  booking: string;
  payment: string;
  concert: string;
}

async function withClient<T>(url: string, work: (db: Client) => Promise<T>): Promise<T> {
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    return await work(db);
  } finally {
    await db.end();
  }
}

/** What the concert catalog should show per seat (every schedule), from the booking subgraph's live claims. */
async function seatMismatches(dbs: Databases): Promise<{ mismatched: number; sold: number; expectedSold: number; pending: number }> {
  const claims = await withClient(dbs.booking, async (db) => {
    const { rows } = await db.query<{ seat_id: string; status: string }>(
      `SELECT c.seat_id, b.status FROM seat_claims c JOIN bookings b ON b.id = c.booking_id
        WHERE b.status IN ('HELD', 'PAYMENT_PENDING', 'CONFIRMED')`,
    );
    const pending = await db.query<{ n: string }>(`SELECT count(*) AS n FROM bookings WHERE status = 'PAYMENT_PENDING'`);
    return { rows, pending: Number(pending.rows[0]!.n) };
  });
  const expected = new Map(claims.rows.map((claim) => [claim.seat_id, claim.status === 'CONFIRMED' ? 'SOLD' : 'HELD']));
  const seats = await withClient(dbs.concert, async (db) => (await db.query<{ id: string; status: string }>('SELECT id, status FROM seats')).rows);
  const mismatched = seats.filter((seat) => seat.status !== (expected.get(seat.id) ?? 'AVAILABLE')).length;
  return {
    mismatched,
    sold: seats.filter((seat) => seat.status === 'SOLD').length,
    expectedSold: [...expected.values()].filter((status) => status === 'SOLD').length,
    pending: claims.pending,
  };
}

/** Waits until no payment is in flight and the catalog agrees with the claims, or `seconds` pass. */
export async function waitForSettle(dbs: Databases, seconds: number): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < seconds * 1000) {
    const state = await seatMismatches(dbs);
    if (state.pending === 0 && state.mismatched === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return Math.round(performance.now() - started) / 1000;
}

export async function audit(options: {
  dbs: Databases;
  scheduleId: string;
  fans: readonly Fan[];
  held: readonly HeldBooking[];
  payments: readonly Payment[];
  settleSeconds: number;
}): Promise<AuditResult> {
  const { dbs, scheduleId } = options;
  const checks: Check[] = [];
  const check = (name: string, ok: boolean, detail: string) => checks.push({ name, ok, detail });

  const booking = await withClient(dbs.booking, async (db) => ({
    doubleSold: (
      await db.query<{ seat_id: string; n: string }>(
        `SELECT c.seat_id, count(*) AS n FROM seat_claims c JOIN bookings b ON b.id = c.booking_id
          WHERE b.status IN ('HELD', 'PAYMENT_PENDING', 'CONFIRMED')
          GROUP BY c.seat_id HAVING count(*) > 1`,
      )
    ).rows,
    // A claim's own status mirrors its booking's; the unique index relies on that mirror.
    staleClaims: Number(
      (
        await db.query<{ n: string }>(
          `SELECT count(*) AS n FROM seat_claims c JOIN bookings b ON b.id = c.booking_id WHERE c.status <> b.status`,
        )
      ).rows[0]!.n,
    ),
    rows: (
      await db.query<{ id: string; schedule_id: string; status: string; amount: number; seats: number }>(
        `SELECT b.id, b.schedule_id, b.status, b.amount, (SELECT count(*)::int FROM seat_claims c WHERE c.booking_id = b.id) AS seats
           FROM bookings b`,
      )
    ).rows,
  }));
  const payment = await withClient(dbs.payment, async (db) => ({
    payments: (await db.query<{ booking_id: string; status: string; amount: number }>('SELECT booking_id, status, amount FROM payments')).rows,
    ledger: (await db.query<{ kind: string; total: string }>('SELECT kind, COALESCE(sum(amount), 0) AS total FROM ledger_entries GROUP BY kind')).rows,
    // balance = SUM(ledger) is the wallet's own invariant; a drift means a write skipped the ledger.
    drifted: Number(
      (
        await db.query<{ n: string }>(
          `SELECT count(*) AS n FROM wallets w
            WHERE w.balance <> (SELECT COALESCE(sum(l.amount), 0) FROM ledger_entries l WHERE l.user_id = w.user_id) OR w.balance < 0`,
        )
      ).rows[0]!.n,
    ),
  }));
  const seats = await seatMismatches(dbs);
  const soldHere = await withClient(dbs.concert, async (db) =>
    Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM seats WHERE schedule_id = $1 AND status = 'SOLD'`, [scheduleId])).rows[0]!.n),
  );

  const bookings: AuditResult['bookings'] = {};
  for (const row of booking.rows.filter((r) => r.schedule_id === scheduleId)) {
    const entry = (bookings[row.status] ??= { count: 0, amount: 0 });
    entry.count += 1;
    entry.amount += row.amount;
  }
  const confirmed = booking.rows.filter((row) => row.status === 'CONFIRMED');
  const byBooking = new Map(booking.rows.map((row) => [row.id, row]));
  const paymentOf = new Map(payment.payments.map((row) => [row.booking_id, row]));
  const ledgerTotal = (kind: string) => Number(payment.ledger.find((row) => row.kind === kind)?.total ?? 0);
  const ledger = { charges: ledgerTotal('CHARGE'), debits: -ledgerTotal('PAYMENT'), refunds: ledgerTotal('REFUND') };
  const confirmedAmount = confirmed.reduce((sum, row) => sum + row.amount, 0);
  const confirmedSeats = confirmed.reduce((sum, row) => sum + row.seats, 0);

  check('no seat in two live bookings', booking.doubleSold.length === 0, `${booking.doubleSold.length} seats claimed twice`);
  check('claims mirror their booking', booking.staleClaims === 0, `${booking.staleClaims} claims with another status than their booking`);
  const notOnePayment = confirmed.filter((row) => {
    const paid = paymentOf.get(row.id);
    return !paid || paid.status !== 'COMPLETED' || paid.amount !== row.amount;
  });
  check(
    'every CONFIRMED booking has exactly one COMPLETED payment of its amount',
    notOnePayment.length === 0,
    `${confirmed.length} confirmed, ${notOnePayment.length} without (payments.booking_id is unique, so never two)`,
  );
  const completedWithoutSeats = payment.payments.filter((row) => row.status === 'COMPLETED' && byBooking.get(row.booking_id)?.status !== 'CONFIRMED');
  check('no COMPLETED payment for a booking that is not CONFIRMED', completedWithoutSeats.length === 0, `${completedWithoutSeats.length} found`);
  check(
    'wallet debits − refunds = confirmed booking amounts',
    ledger.debits - ledger.refunds === confirmedAmount,
    `${ledger.debits} − ${ledger.refunds} = ${ledger.debits - ledger.refunds} vs ${confirmedAmount} KRW (${confirmed.length} bookings)`,
  );
  const charged = options.fans.reduce((sum, fan) => sum + fan.charged, 0);
  check('wallet charges = what the fans charged', ledger.charges === charged, `${ledger.charges} vs ${charged} KRW`);
  check('every wallet balance = its ledger, never negative', payment.drifted === 0, `${payment.drifted} wallets off`);
  check('no booking left in flight', (bookings['PAYMENT_PENDING']?.count ?? 0) === 0 && (bookings['HELD']?.count ?? 0) === 0,
    `${bookings['PAYMENT_PENDING']?.count ?? 0} PAYMENT_PENDING, ${bookings['HELD']?.count ?? 0} HELD after ${options.settleSeconds} s`);
  check(
    'catalog seat status matches the claims (SOLD = confirmed seats)',
    seats.mismatched === 0 && seats.sold === confirmedSeats,
    `${seats.sold} SOLD, ${confirmedSeats} confirmed seats, ${seats.mismatched} seats differ`,
  );

  const known = new Set(options.held.map((hold) => hold.bookingId));
  check('the database has exactly the bookings the fans were told they hold', booking.rows.length === known.size && booking.rows.every((row) => known.has(row.id)),
    `${booking.rows.length} in the database, ${known.size} held`);
  const wrongPrice = options.held.filter((hold) => hold.amount !== hold.expectedAmount || byBooking.get(hold.bookingId)?.amount !== hold.amount);
  check('hold amounts = catalog prices of the seats', wrongPrice.length === 0, `${wrongPrice.length} differ`);
  const wrongOutcome = options.held.filter((hold) => {
    const status = byBooking.get(hold.bookingId)?.status;
    return hold.fan.short ? status === 'CONFIRMED' : status !== 'CONFIRMED';
  });
  check('fans with enough money are CONFIRMED, the others are not', wrongOutcome.length === 0, `${wrongOutcome.length} bookings otherwise`);
  const misreported = options.payments.filter((p) => p.verdict && p.verdict.status !== byBooking.get(p.booking.bookingId)?.status);
  check('the subscription showed the final status', misreported.length === 0, `${misreported.length} verdicts differ from the database`);

  return {
    checks,
    ok: checks.every((c) => c.ok),
    bookings,
    soldSeats: soldHere,
    settleSeconds: options.settleSeconds,
    ledger,
  };
}
