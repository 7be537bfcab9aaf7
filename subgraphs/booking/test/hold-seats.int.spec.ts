import { randomUUID } from 'node:crypto';
import {
  addSeats,
  admit,
  admitFreely,
  admittedFan,
  closeDatabases,
  errorCode,
  gql,
  holdSeats,
  mapLimit,
  openSchedule,
  payBooking,
  signUpFan,
  sql,
  testSystem,
  type AdmittedFan,
} from '@ticketing/test-support';
import { createRedis } from '@ticketing/platform';

const CANCEL = 'mutation C($b: ID!) { cancelBooking(bookingId: $b) { id status seats { id } history { status reason } } }';

async function liveClaims(seatIds: readonly string[]) {
  return sql<{ seat_id: string; booking_id: string }>(
    'booking',
    `SELECT seat_id::text, booking_id::text FROM seat_claims WHERE seat_id = ANY($1::uuid[]) AND status IN ('HELD','PAYMENT_PENDING','CONFIRMED')`,
    [seatIds],
  );
}

/** Who holds a seat's Redis lock now (the hash of subgraphs/booking/src/adapters/redis/seat-locks.ts), or null. */
async function lockOwnerOf(seatId: string): Promise<string | null> {
  const redis = createRedis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379', testSystem().env['REDIS_KEY_PREFIX']);
  try {
    const value = await redis.hget(`lock:seats:{${scheduleId}}`, seatId);
    return value ? value.slice(0, value.lastIndexOf(':')) : null;
  } finally {
    redis.disconnect();
  }
}

const bookingsOf = async (userId: string) => (await sql<{ n: string }>('booking', 'SELECT count(*)::text AS n FROM bookings WHERE user_id = $1', [userId]))[0]!.n;

let scheduleId: string;
let seats: string[];

type BookingFields = Record<string, unknown> & { status: string; heldUntil: string | null; history: Array<{ status: string }> };

beforeAll(async () => {
  scheduleId = await openSchedule();
  seats = await addSeats(scheduleId, 120, 70_000);
  await admitFreely(scheduleId);
});
afterAll(() => closeDatabases());

describe('holdSeats', () => {
  it('holds all the seats for the admitted fan until now + HOLD_TTL_SECONDS, records why, and writes SeatsHeld to the outbox', async () => {
    const fan = await admittedFan(scheduleId);
    const before = Date.now();
    const { booking, response } = await holdSeats(fan, scheduleId, [seats[1]!, seats[0]!]);
    expect(response.errors).toBeUndefined();
    expect(booking).toMatchObject({ status: 'HELD', amount: 140_000, history: [{ status: 'HELD', reason: 'seats held' }] });
    expect(booking!.seats.map((s) => s.id).sort()).toEqual([seats[0], seats[1]].sort());
    const ttl = Date.parse(booking!.heldUntil!) - before;
    expect(ttl).toBeGreaterThan(290_000);
    expect(ttl).toBeLessThan(310_000);
    const [outbox] = await sql<{ event_type: string; payload: { payload: Record<string, unknown> } }>(
      'booking',
      'SELECT event_type, payload FROM outbox WHERE aggregate_id = $1',
      [booking!.id],
    );
    expect(outbox).toMatchObject({ event_type: 'SeatsHeld', payload: { payload: { bookingId: booking!.id, amount: 140_000, scheduleId } } });
    expect((outbox!.payload.payload['seatSequence'] as number) > 0).toBe(true);
  });

  it('answers a hold and a payment with the booking as they wrote it, which a later read finds field for field', async () => {
    const fan = await admittedFan(scheduleId);
    const fields = 'id user { id } schedule { id } seats { id } status amount heldUntil createdAt history { status at reason } guestName';
    const held = await gql<{ holdSeats: Record<string, unknown> & { id: string } }>(
      `mutation H($s: ID!, $seats: [ID!]!, $q: String!) { holdSeats(scheduleId: $s, seatIds: $seats, queueToken: $q) { ${fields} } }`,
      { s: scheduleId, seats: [seats[3]!, seats[2]!], q: fan.admissionPass },
      { token: fan.token },
    );
    expect(held.errors).toBeUndefined();
    const read = await gql<{ booking: Record<string, unknown> }>(`query B($id: ID!) { booking(id: $id) { ${fields} } }`, { id: held.data!.holdSeats.id }, { token: fan.token });

    expect(held.data!.holdSeats).toEqual(read.data!.booking);
    expect(read.data!.booking).toMatchObject({ user: { id: fan.id }, schedule: { id: scheduleId }, status: 'HELD', guestName: null });

    // payBooking answers from its own read and write too, and so does its replay. The payment's
    // outcome may move the booking on before the read (this fan has no money: CANCELLED), so the
    // read is compared as far as the answer goes: the fields no later step changes, and the history.
    const pay = `mutation P($b: ID!, $k: String!) { payBooking(bookingId: $b, idempotencyKey: $k) { ${fields} } }`;
    const readNow = async () => (await gql<{ booking: BookingFields }>(`query B($id: ID!) { booking(id: $id) { ${fields} } }`, { id: held.data!.holdSeats.id }, { token: fan.token })).data!.booking;
    const asFarAs = (answer: BookingFields, read: BookingFields) => ({ ...read, status: answer.status, heldUntil: answer.heldUntil, history: read.history.slice(0, answer.history.length) });
    for (const call of ['pay', 'replay']) {
      const paid = await gql<{ payBooking: BookingFields }>(pay, { b: held.data!.holdSeats.id, k: 'answer-as-written' }, { token: fan.token });
      expect(paid.errors).toBeUndefined();
      const answer = paid.data!.payBooking;
      if (call === 'pay') expect(answer).toMatchObject({ status: 'PAYMENT_PENDING', heldUntil: held.data!.holdSeats['heldUntil'], history: [{ status: 'HELD' }, { status: 'PAYMENT_PENDING' }] });
      expect(answer).toEqual(asFarAs(answer, await readNow()));
    }
  });

  it('lets exactly one of 200 fans racing for one seat hold it; the other 199 get SEAT_UNAVAILABLE', async () => {
    const target = seats[10]!;
    const fans = await mapLimit(Array.from({ length: 200 }), 25, () => admittedFan(scheduleId));
    const results = await Promise.all(fans.map((fan) => holdSeats(fan, scheduleId, [target])));
    const held = results.filter((r) => r.booking?.status === 'HELD');
    expect(held).toHaveLength(1);
    expect(results.filter((r) => r.code === 'SEAT_UNAVAILABLE')).toHaveLength(199);
    expect(await liveClaims([target])).toEqual([{ seat_id: target, booking_id: held[0]!.booking!.id }]);
  });

  it('keeps a hold\'s seat locks under its booking, so the next fan is turned away in Redis; a cancel gives them back and the seat can be held at once', async () => {
    const [first, second, third] = await Promise.all([admittedFan(scheduleId), admittedFan(scheduleId), admittedFan(scheduleId)]);
    const seat = seats[12]!;
    const held = await holdSeats(first, scheduleId, [seat]);
    expect(held.booking?.status).toBe('HELD');
    // The lock's owner is the booking (seat-locks.ts: `<owner>:<expiry ms>`), read straight after the answer.
    expect(await lockOwnerOf(seat)).toBe(held.booking!.id);

    const refused = await holdSeats(second, scheduleId, [seat]);
    expect(refused.code).toBe('SEAT_UNAVAILABLE');
    expect(await liveClaims([seat])).toEqual([{ seat_id: seat, booking_id: held.booking!.id }]);

    const cancelled = await gql<{ cancelBooking: { status: string } }>(CANCEL, { b: held.booking!.id }, { token: first.token });
    expect(cancelled.data?.cancelBooking.status).toBe('CANCELLED');
    expect(await lockOwnerOf(seat)).toBeNull();
    expect((await holdSeats(third, scheduleId, [seat])).booking?.status).toBe('HELD');
  });

  it('keeps every seat in at most one live booking when 500 fans grab random overlapping sets of 1 to 4 of 100 seats', async () => {
    const pool = await addSeats(scheduleId, 100, 10_000);
    const fans = await mapLimit(Array.from({ length: 500 }), 25, () => admittedFan(scheduleId));
    const wanted = fans.map(() => {
      const picked = new Set<string>();
      const n = 1 + Math.floor(Math.random() * 4);
      while (picked.size < n) picked.add(pool[Math.floor(Math.random() * pool.length)]!);
      return [...picked];
    });
    const results = await Promise.all(fans.map((fan, i) => holdSeats(fan, scheduleId, wanted[i]!)));
    for (const result of results) expect(result.booking?.status === 'HELD' || result.code === 'SEAT_UNAVAILABLE').toBe(true);
    const winners = results.flatMap((r, i) => (r.booking ? [{ booking: r.booking, wanted: wanted[i]! }] : []));
    // Invariant 1: the winners' seats are pairwise disjoint and each got exactly what it asked for.
    const owner = new Map<string, string>();
    for (const { booking, wanted: asked } of winners) {
      expect(booking.seats.map((s) => s.id).sort()).toEqual([...asked].sort());
      for (const seat of asked) {
        expect(owner.has(seat)).toBe(false);
        owner.set(seat, booking.id);
      }
    }
    // Invariant 2: the database agrees, seat by seat.
    const claims = await liveClaims(pool);
    expect(new Set(claims.map((c) => c.seat_id)).size).toBe(claims.length);
    expect(new Map(claims.map((c) => [c.seat_id, c.booking_id]))).toEqual(owner);
    expect(winners.length).toBeGreaterThan(0);
  });

  describe('refuses and writes nothing', () => {
    let fan: AdmittedFan;
    beforeAll(async () => {
      fan = await admittedFan(scheduleId);
    });
    afterEach(async () => expect(await bookingsOf(fan.id)).toBe('0'));

    it.each([
      ['no seats', () => []],
      ['five seats', () => seats.slice(20, 25)],
      ['the same seat twice', () => [seats[26]!, seats[26]!]],
      ['a seat id that is not an id', () => ['seat-1']],
      ['a seat that does not exist', () => [randomUUID()]],
    ] as const)('%s → BAD_USER_INPUT', async (_what, pick) => {
      expect((await holdSeats(fan, scheduleId, pick())).code).toBe('BAD_USER_INPUT');
    });

    it('a seat of another schedule → BAD_USER_INPUT', async () => {
      const other = await openSchedule();
      const [foreign] = await addSeats(other, 1);
      expect((await holdSeats(fan, scheduleId, [foreign!])).code).toBe('BAD_USER_INPUT');
    });

    it.each([
      ['a forged token', () => 'v1.forged'],
      ['an empty token', () => ''],
    ])('%s → QUEUE_TOKEN_INVALID', async (_what, token) => {
      expect((await holdSeats({ ...fan, admissionPass: undefined, queueToken: token() }, scheduleId, [seats[30]!])).code).toBe('QUEUE_TOKEN_INVALID');
    });

    it("another fan's ticket → QUEUE_TOKEN_INVALID", async () => {
      const other = await admittedFan(scheduleId);
      expect((await holdSeats({ ...fan, admissionPass: undefined, queueToken: other.queueToken }, scheduleId, [seats[31]!])).code).toBe('QUEUE_TOKEN_INVALID');
      expect((await holdSeats({ ...fan, admissionPass: other.admissionPass }, scheduleId, [seats[31]!])).code).toBe('QUEUE_TOKEN_INVALID');
    });

    it("a ticket for another schedule → QUEUE_TOKEN_INVALID", async () => {
      const other = await openSchedule();
      await admitFreely(other);
      const elsewhere = await admit(fan, other);
      expect((await holdSeats(elsewhere, scheduleId, [seats[32]!])).code).toBe('QUEUE_TOKEN_INVALID');
    });

    it('no sign-in → UNAUTHENTICATED', async () => {
      const response = await gql('mutation H($s: ID!, $q: String!) { holdSeats(scheduleId: $s, seatIds: [], queueToken: $q) { id } }', { s: scheduleId, q: fan.queueToken });
      expect(errorCode(response)).toBe('UNAUTHENTICATED');
    });

    it('an unknown schedule → QUEUE_TOKEN_INVALID before anything else is looked up', async () => {
      expect((await holdSeats(fan, randomUUID(), [seats[33]!])).code).toBe('QUEUE_TOKEN_INVALID');
    });
  });

  it('lets one queue ticket back one live booking; after cancelling, the fan may hold again', async () => {
    const fan = await admittedFan(scheduleId);
    const first = await holdSeats(fan, scheduleId, [seats[40]!]);
    expect(first.booking?.status).toBe('HELD');
    expect((await holdSeats(fan, scheduleId, [seats[41]!])).code).toBe('CONFLICT');
    const cancelled = await gql<{ cancelBooking: { status: string } }>(CANCEL, { b: first.booking!.id }, { token: fan.token });
    expect(cancelled.data?.cancelBooking.status).toBe('CANCELLED');
    expect((await holdSeats(fan, scheduleId, [seats[41]!])).booking?.status).toBe('HELD');
  });
});

describe('cancelBooking', () => {
  it('releases the seats at once: another fan can hold them', async () => {
    const [owner, next] = await Promise.all([admittedFan(scheduleId), admittedFan(scheduleId)]);
    const { booking } = await holdSeats(owner, scheduleId, [seats[50]!, seats[51]!]);
    const cancelled = await gql<{ cancelBooking: { status: string; history: Array<{ status: string; reason: string }> } }>(CANCEL, { b: booking!.id }, { token: owner.token });
    expect(cancelled.data?.cancelBooking).toMatchObject({ status: 'CANCELLED', history: [{ status: 'HELD' }, { status: 'CANCELLED', reason: 'cancelled by the fan' }] });
    expect((await holdSeats(next, scheduleId, [seats[50]!, seats[51]!])).booking?.status).toBe('HELD');
    const [event] = await sql<{ event_type: string }>('booking', 'SELECT event_type FROM outbox WHERE aggregate_id = $1 ORDER BY position DESC LIMIT 1', [booking!.id]);
    expect(event?.event_type).toBe('BookingCancelled');
  });

  it("answers someone else's booking NOT_FOUND and changes nothing; a second cancel is INVALID_STATE", async () => {
    const owner = await admittedFan(scheduleId);
    const stranger = await signUpFan();
    const { booking } = await holdSeats(owner, scheduleId, [seats[52]!]);
    expect(errorCode(await gql(CANCEL, { b: booking!.id }, { token: stranger.token }))).toBe('NOT_FOUND');
    expect(errorCode(await gql(CANCEL, { b: 'not-an-id' }, { token: stranger.token }))).toBe('NOT_FOUND');
    expect(await liveClaims([seats[52]!])).toHaveLength(1);
    await gql(CANCEL, { b: booking!.id }, { token: owner.token });
    expect(errorCode(await gql(CANCEL, { b: booking!.id }, { token: owner.token }))).toBe('INVALID_STATE');
  });
});

describe('payBooking (request side)', () => {
  it('moves HELD to PAYMENT_PENDING once for 30 concurrent calls with one key, which all answer the same booking', async () => {
    const fan = await admittedFan(scheduleId);
    const { booking } = await holdSeats(fan, scheduleId, [seats[60]!]);
    const key = `pay-${randomUUID()}`;
    const results = await Promise.all(Array.from({ length: 30 }, () => payBooking(fan, booking!.id, key)));
    for (const result of results) {
      expect(result.code).toBeUndefined();
      expect(result.booking?.id).toBe(booking!.id);
    }
    const events = await sql<{ event_type: string }>('booking', `SELECT event_type FROM outbox WHERE aggregate_id = $1 AND event_type = 'PaymentRequested'`, [booking!.id]);
    expect(events).toHaveLength(1);
  });

  it('refuses a stranger (NOT_FOUND), a bad key (BAD_USER_INPUT) and a key already used for another booking (CONFLICT)', async () => {
    const fan = await admittedFan(scheduleId);
    const stranger = await signUpFan();
    const { booking } = await holdSeats(fan, scheduleId, [seats[61]!]);
    expect((await payBooking(stranger, booking!.id)).code).toBe('NOT_FOUND');
    expect((await payBooking(fan, booking!.id, '')).code).toBe('BAD_USER_INPUT');
    expect((await payBooking(fan, booking!.id, 'x'.repeat(101))).code).toBe('BAD_USER_INPUT');
    expect((await payBooking(fan, booking!.id, 'spaces are not allowed')).code).toBe('BAD_USER_INPUT');
    const key = `pay-${randomUUID()}`;
    expect((await payBooking(fan, booking!.id, key)).booking?.status).toBe('PAYMENT_PENDING');
    // The same fan, a second booking (another schedule, another ticket), the same key.
    const otherSchedule = await openSchedule();
    const [otherSeat] = await addSeats(otherSchedule, 1);
    await admitFreely(otherSchedule);
    const second = await holdSeats(await admit(fan, otherSchedule), otherSchedule, [otherSeat!]);
    expect((await payBooking(fan, second.booking!.id, key)).code).toBe('CONFLICT');
    expect((await payBooking(fan, second.booking!.id, `pay-${randomUUID()}`)).booking?.status).toBe('PAYMENT_PENDING');
  });

  it('refuses to pay a cancelled booking with INVALID_STATE', async () => {
    const fan = await admittedFan(scheduleId);
    const { booking } = await holdSeats(fan, scheduleId, [seats[62]!]);
    await gql(CANCEL, { b: booking!.id }, { token: fan.token });
    expect((await payBooking(fan, booking!.id)).code).toBe('INVALID_STATE');
  });
});
