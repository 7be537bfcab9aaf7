import {
  addSeats,
  admitFreely,
  admittedFan,
  balanceOf,
  BOOKING_FIELDS,
  bookingReaches,
  chargeWallet,
  closeDatabases,
  errorCode,
  eventually,
  gql,
  holdSeats,
  logInAdmin,
  openSchedule,
  payBooking,
  readBooking,
  sql,
  type AdmittedFan,
  type BookingView,
} from '@ticketing/test-support';

/*
 * refundBooking through the gateway against the running system: a CONFIRMED booking becomes
 * REFUNDED at once, BookingRefunded frees its seats (the seat map, and another fan's hold) and
 * payment returns the money once; the owner may refund only before the schedule's cutoff; every
 * refusal changes nothing; racing refunds of one booking refund it once.
 */
const PRICE = 70_000;
const REFUND = `mutation R($b: ID!, $r: String!) { refundBooking(bookingId: $b, reason: $r) { ${BOOKING_FIELDS} } }`;
const SEAT_MAP = 'query M($id: ID!) { schedule(id: $id) { seats { id status } } }';

let admin: string;

const refund = (token: string | undefined, bookingId: string, reason = 'plans changed') =>
  gql<{ refundBooking: BookingView }>(REFUND, { b: bookingId, r: reason }, token ? { token } : {});

/** A fan with a CONFIRMED booking of `seats` new seats on an open schedule, and their balance after paying. */
async function confirmedPurchase(seats = 1): Promise<{ fan: AdmittedFan; scheduleId: string; seatIds: string[]; bookingId: string }> {
  const scheduleId = await openSchedule();
  const seatIds = await addSeats(scheduleId, seats, PRICE);
  await admitFreely(scheduleId);
  const fan = await admittedFan(scheduleId);
  await chargeWallet(fan, seats * PRICE);
  const held = await holdSeats(fan, scheduleId, seatIds);
  if (!held.booking) throw new Error(`hold failed: ${JSON.stringify(held.response.errors)}`);
  expect((await payBooking(fan, held.booking.id)).code).toBeUndefined();
  await bookingReaches(fan, held.booking.id, ['CONFIRMED']);
  return { fan, scheduleId, seatIds, bookingId: held.booking.id };
}

async function seatStatuses(scheduleId: string, seatIds: readonly string[]): Promise<string[]> {
  const response = await gql<{ schedule: { seats: Array<{ id: string; status: string }> } }>(SEAT_MAP, { id: scheduleId });
  const byId = new Map(response.data!.schedule.seats.map((seat) => [seat.id, seat.status]));
  return seatIds.map((id) => byId.get(id) ?? 'MISSING');
}

const bookingEvents = (bookingId: string) =>
  sql<{ event_type: string }>('booking', `SELECT event_type FROM outbox WHERE aggregate_id = $1 ORDER BY position`, [bookingId]);

beforeAll(async () => {
  admin = await logInAdmin();
});
afterAll(() => closeDatabases());

describe('refundBooking by an admin', () => {
  it('given a CONFIRMED booking, when an admin refunds it, then it is REFUNDED at once, its seats go back on sale and the money comes back once', async () => {
    const { fan, scheduleId, seatIds, bookingId } = await confirmedPurchase(2);
    expect(await balanceOf(fan)).toBe(0);

    const response = await refund(admin, bookingId, '  the artist is ill  ');

    expect(response.errors).toBeUndefined();
    expect(response.data!.refundBooking).toMatchObject({ id: bookingId, status: 'REFUNDED', heldUntil: null });
    expect(response.data!.refundBooking.history.at(-1)).toEqual({ status: 'REFUNDED', reason: 'refunded by an admin: the artist is ill' });
    await eventually(async () => (await balanceOf(fan)) === 2 * PRICE, 30_000, 'the refund in the wallet');
    await eventually(async () => (await seatStatuses(scheduleId, seatIds)).every((status) => status === 'AVAILABLE'), 30_000, 'the seats back on the map');

    // Back on sale for real: another fan holds the same seats through the same fence.
    const other = await admittedFan(scheduleId);
    expect((await holdSeats(other, scheduleId, seatIds)).booking?.status).toBe('HELD');
    expect((await bookingEvents(bookingId)).map((row) => row.event_type)).toEqual(['SeatsHeld', 'PaymentRequested', 'BookingConfirmed', 'BookingRefunded']);
    const payments = await sql<{ status: string }>('payment', 'SELECT status FROM payments WHERE booking_id = $1', [bookingId]);
    expect(payments).toEqual([{ status: 'REFUNDED' }]);
  });

  it('given a REFUNDED booking, when it is refunded again, then INVALID_STATE and the wallet is credited only once', async () => {
    const { fan, bookingId } = await confirmedPurchase();
    expect((await refund(admin, bookingId)).errors).toBeUndefined();
    await eventually(async () => (await balanceOf(fan)) === PRICE, 30_000, 'the refund in the wallet');

    const again = await refund(admin, bookingId);

    expect(errorCode(again)).toBe('INVALID_STATE');
    expect(again.errors![0]!.extensions!['status']).toBe('REFUNDED');
    expect(await balanceOf(fan)).toBe(PRICE);
  });
});

describe('refundBooking by the owner', () => {
  it('given the cutoff is ahead, when the owner refunds their own booking, then it is REFUNDED with their reason and the money comes back', async () => {
    const { fan, bookingId } = await confirmedPurchase();

    const response = await refund(fan.token, bookingId, 'I cannot come');

    expect(response.errors).toBeUndefined();
    expect(response.data!.refundBooking.history.at(-1)).toEqual({ status: 'REFUNDED', reason: "refunded at the fan's request: I cannot come" });
    await eventually(async () => (await balanceOf(fan)) === PRICE, 30_000, 'the refund in the wallet');
  });

  it('given the schedule closed refunds (cutoff passed), when the owner asks, then REFUND_NOT_ALLOWED names the cutoff and nothing changes; an admin still may', async () => {
    const { fan, scheduleId, bookingId } = await confirmedPurchase();
    const policy = await gql<{ updateSchedule: { startsAt: string; refundCutoffHours: number } }>(
      'mutation U($id: ID!) { updateSchedule(id: $id, input: { refundCutoffHours: 8760 }) { startsAt refundCutoffHours } }',
      { id: scheduleId },
      { token: admin },
    );
    expect(policy.data?.updateSchedule.refundCutoffHours).toBe(8760);

    const refused = await refund(fan.token, bookingId);

    expect(errorCode(refused)).toBe('REFUND_NOT_ALLOWED');
    const cutoff = Date.parse(policy.data!.updateSchedule.startsAt) - 8760 * 3_600_000;
    expect(refused.errors![0]!.extensions!['cutoff']).toBe(new Date(cutoff).toISOString());
    expect((await readBooking(fan, bookingId))?.status).toBe('CONFIRMED');
    expect(await balanceOf(fan)).toBe(0);
    expect((await refund(admin, bookingId)).data?.refundBooking.status).toBe('REFUNDED');
  });
});

describe('refundBooking refusals change nothing', () => {
  let purchase: Awaited<ReturnType<typeof confirmedPurchase>>;
  beforeAll(async () => {
    purchase = await confirmedPurchase();
  });
  afterEach(async () => {
    expect((await readBooking(purchase.fan, purchase.bookingId))?.status).toBe('CONFIRMED');
    expect((await bookingEvents(purchase.bookingId)).map((row) => row.event_type)).not.toContain('BookingRefunded');
  });

  it('given no sign-in, then UNAUTHENTICATED', async () => {
    expect(errorCode(await refund(undefined, purchase.bookingId))).toBe('UNAUTHENTICATED');
  });

  it("given another fan's booking, then NOT_FOUND (never its data)", async () => {
    const stranger = await admittedFan(purchase.scheduleId);
    const response = await refund(stranger.token, purchase.bookingId);
    expect(errorCode(response)).toBe('NOT_FOUND');
    expect(response.data).toBeNull();
  });

  it.each(['', '    ', 'x'.repeat(501)])('given the reason %p, then BAD_USER_INPUT on reason', async (reason) => {
    const response = await refund(admin, purchase.bookingId, reason);
    expect(errorCode(response)).toBe('BAD_USER_INPUT');
    expect(response.errors![0]!.extensions!['field']).toBe('reason');
  });

  it('given an id that is not one, or of no booking, then NOT_FOUND', async () => {
    expect(errorCode(await refund(admin, 'not-an-id'))).toBe('NOT_FOUND');
    expect(errorCode(await refund(admin, '00000000-0000-4000-8000-000000000000'))).toBe('NOT_FOUND');
  });

  it('given a HELD booking (not CONFIRMED), then INVALID_STATE for its owner and for an admin', async () => {
    // A schedule of its own: booking's catalog cache may not know seats added to one it just read.
    const scheduleId = await openSchedule();
    const seatIds = await addSeats(scheduleId, 1, PRICE);
    await admitFreely(scheduleId);
    const fan = await admittedFan(scheduleId);
    const held = await holdSeats(fan, scheduleId, seatIds);
    expect(held.code).toBeUndefined();
    expect(errorCode(await refund(fan.token, held.booking!.id))).toBe('INVALID_STATE');
    expect(errorCode(await refund(admin, held.booking!.id))).toBe('INVALID_STATE');
    expect((await readBooking(fan, held.booking!.id))?.status).toBe('HELD');
  });
});

describe('refundBooking under contention', () => {
  it('given 12 refunds of one booking at once (its owner and an admin), then exactly one succeeds, the rest are INVALID_STATE, and the money comes back once', async () => {
    const { fan, bookingId } = await confirmedPurchase();
    const CALLERS = 12;

    const responses = await Promise.all(Array.from({ length: CALLERS }, (_, i) => refund(i % 2 === 0 ? fan.token : admin, bookingId, `race ${i}`)));

    const codes = responses.map((response) => errorCode(response) ?? 'OK');
    expect(codes.filter((code) => code === 'OK')).toHaveLength(1);
    expect(codes.filter((code) => code === 'INVALID_STATE')).toHaveLength(CALLERS - 1);
    await eventually(async () => (await balanceOf(fan)) === PRICE, 30_000, 'the refund in the wallet');
    // Invariants: one BookingRefunded in the stream, one refund in the ledger, the balance exact after the saga settled.
    expect((await bookingEvents(bookingId)).filter((row) => row.event_type === 'BookingRefunded')).toHaveLength(1);
    const ledger = await sql<{ n: number }>('payment', `SELECT count(*)::int AS n FROM ledger_entries WHERE reference = $1`, [`refund:${bookingId}`]);
    expect(ledger).toEqual([{ n: 1 }]);
    expect(await balanceOf(fan)).toBe(PRICE);
  });
});
