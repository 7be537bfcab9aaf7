import { randomUUID } from 'node:crypto';
import { addSeats, admitFreely, admittedFan, closeDatabases, errorCode, eventually, gql, holdSeats, logInAdmin, openSchedule, signUpFan, sql } from '@ticketing/test-support';

/*
 * bookBlockedSeats (a comp for a named guest) through the gateway: only blocked seats, all or
 * none, the seats leave their block and are claimed by a CONFIRMED, free booking in one commit
 * under the same fence as any hold; racing comps and releases of the same seats never leave a
 * seat with two live claims.
 */
const BLOCK = 'mutation B($s: ID!, $seats: [ID!]!, $r: String!) { blockSeats(scheduleId: $s, seatIds: $seats, reason: $r) { id } }';
const RELEASE = 'mutation R($s: ID!, $seats: [ID!]!) { releaseSeats(scheduleId: $s, seatIds: $seats) { id } }';
const COMP = `mutation C($s: ID!, $seats: [ID!]!, $g: String!) {
  bookBlockedSeats(scheduleId: $s, seatIds: $seats, guestName: $g) { id status amount heldUntil guestName user { id } seats { id } history { status reason } }
}`;
const SEAT_MAP = 'query M($s: ID!) { schedule(id: $s) { seats { id status } } }';

interface CompAnswer {
  bookBlockedSeats: {
    id: string;
    status: string;
    amount: number;
    heldUntil: string | null;
    guestName: string | null;
    user: { id: string };
    seats: Array<{ id: string }>;
    history: Array<{ status: string; reason: string | null }>;
  };
}

let admin: string;
let scheduleId: string;
let seats: string[];

const block = async (seatIds: readonly string[]) => {
  const response = await gql(BLOCK, { s: scheduleId, seats: seatIds, r: 'guest list' }, { token: admin });
  if (response.errors) throw new Error(`blockSeats failed: ${JSON.stringify(response.errors)}`);
};
const bookForGuest = (seatIds: readonly string[], guestName = 'Kim Min-ji', token = admin) => gql<CompAnswer>(COMP, { s: scheduleId, seats: seatIds, g: guestName }, { token });

async function liveClaims(seatIds: readonly string[]) {
  return sql<{ seat_id: string; booking_id: string | null; block_id: string | null; status: string }>(
    'booking',
    `SELECT seat_id::text, booking_id::text, block_id::text, status::text FROM seat_claims
      WHERE seat_id = ANY($1::uuid[]) AND status IN ('HELD', 'PAYMENT_PENDING', 'CONFIRMED', 'BLOCKED')`,
    [seatIds],
  );
}

async function seatStatuses(seatIds: readonly string[]) {
  const response = await gql<{ schedule: { seats: Array<{ id: string; status: string }> } }>(SEAT_MAP, { s: scheduleId });
  const byId = new Map(response.data!.schedule.seats.map((seat) => [seat.id, seat.status]));
  return seatIds.map((id) => byId.get(id));
}

beforeAll(async () => {
  admin = await logInAdmin();
  scheduleId = await openSchedule();
  seats = await addSeats(scheduleId, 40, 50_000);
  await admitFreely(scheduleId);
});
afterAll(() => closeDatabases());

describe('bookBlockedSeats', () => {
  it('given blocked seats, when an admin books two of them for a guest, then a free CONFIRMED booking owns them, the rest stay blocked and the map shows them SOLD', async () => {
    const blocked = seats.slice(0, 3);
    await block(blocked);
    const comped = [blocked[0]!, blocked[1]!];

    const response = await bookForGuest(comped, '  Kim Min-ji  ');

    expect(response.errors).toBeUndefined();
    const booking = response.data!.bookBlockedSeats;
    const me = await gql<{ me: { id: string } }>('{ me { id } }', {}, { token: admin });
    expect(booking).toMatchObject({ status: 'CONFIRMED', amount: 0, heldUntil: null, guestName: 'Kim Min-ji', user: { id: me.data!.me.id } });
    expect(booking.seats.map((seat) => seat.id).sort()).toEqual([...comped].sort());
    expect(booking.history).toEqual([{ status: 'CONFIRMED', reason: 'complimentary seats booked by an admin for a guest' }]);
    const claims = await liveClaims(blocked);
    expect(claims.filter((claim) => claim.booking_id === booking.id).map((claim) => claim.status)).toEqual(['CONFIRMED', 'CONFIRMED']);
    expect(claims.filter((claim) => claim.block_id !== null).map((claim) => claim.seat_id)).toEqual([blocked[2]]);
    // The block's stream says the seats left it; the comp's says it began, with a later seat sequence.
    const events = await sql<{ event_type: string; seq: number }>(
      'booking',
      `SELECT event_type, (payload->'payload'->>'seatSequence')::int AS seq FROM outbox
        WHERE aggregate_id = $1 OR (event_type = 'SeatsReleased' AND payload->'payload'->'seatIds' ? $2) ORDER BY position`,
      [booking.id, comped[0]],
    );
    expect(events.map((event) => event.event_type)).toEqual(['SeatsReleased', 'SeatsComped']);
    expect(events[1]!.seq).toBeGreaterThan(events[0]!.seq);
    await eventually(async () => (await seatStatuses(blocked)).join() === 'SOLD,SOLD,BLOCKED', 30_000, 'the comp on the seat map');
    // The guest's name stays in booking's database: the event does not carry it.
    const [comp] = await sql<{ payload: string }>('booking', `SELECT payload::text FROM outbox WHERE aggregate_id = $1`, [booking.id]);
    expect(comp!.payload).not.toContain('Min-ji');
  });

  it('given a seat a fan holds (not blocked) among blocked ones, then INVALID_STATE names it and nothing is booked or released', async () => {
    const blocked = seats.slice(5, 7);
    await block(blocked);
    const fan = await admittedFan(scheduleId);
    expect((await holdSeats(fan, scheduleId, [seats[8]!])).booking?.status).toBe('HELD');

    const response = await bookForGuest([...blocked, seats[8]!, seats[9]!]);

    expect(errorCode(response)).toBe('INVALID_STATE');
    expect((response.errors![0]!.extensions!['seatIds'] as string[]).sort()).toEqual([seats[8]!, seats[9]!].sort());
    const claims = await liveClaims([...blocked, seats[8]!, seats[9]!]);
    expect(claims.map((claim) => [claim.seat_id, claim.status]).sort()).toEqual(
      [
        [blocked[0], 'BLOCKED'],
        [blocked[1], 'BLOCKED'],
        [seats[8], 'HELD'],
      ].sort(),
    );
  });

  it('given a fan, then FORBIDDEN; signed out, UNAUTHENTICATED; a blank or 201-character guest name, BAD_USER_INPUT; and nothing changes', async () => {
    const blocked = [seats[10]!];
    await block(blocked);
    const fan = await signUpFan();

    expect(errorCode(await bookForGuest(blocked, 'Guest', fan.token))).toBe('FORBIDDEN');
    expect(errorCode(await gql(COMP, { s: scheduleId, seats: blocked, g: 'Guest' }))).toBe('UNAUTHENTICATED');
    for (const name of ['   ', 'x'.repeat(201)]) {
      const response = await bookForGuest(blocked, name);
      expect(errorCode(response)).toBe('BAD_USER_INPUT');
      expect(response.errors![0]!.extensions!['field']).toBe('guestName');
    }
    expect((await liveClaims(blocked)).map((claim) => claim.status)).toEqual(['BLOCKED']);
  });

  it('given a comp, when an admin refunds it, then its seats go back on sale and nothing is paid back (there was no payment)', async () => {
    const blocked = [seats[11]!];
    await block(blocked);
    const booking = (await bookForGuest(blocked)).data!.bookBlockedSeats;

    const refunded = await gql<{ refundBooking: { status: string } }>('mutation R($b: ID!) { refundBooking(bookingId: $b, reason: "guest cannot come") { status } }', { b: booking.id }, { token: admin });

    expect(refunded.data?.refundBooking.status).toBe('REFUNDED');
    expect(await liveClaims(blocked)).toEqual([]);
    const fan = await admittedFan(scheduleId);
    expect((await holdSeats(fan, scheduleId, blocked)).booking?.status).toBe('HELD');
  });
});

describe('comps and releases racing for the same blocked seats', () => {
  it('given 6 blocked seats, when 8 comps and 8 releases of overlapping seats run at once, then every seat has one live claim at most and each answer matches the fence', async () => {
    const pool = seats.slice(20, 26);
    await block(pool);
    const pick = () => {
      const picked = new Set<string>();
      const n = 1 + Math.floor(Math.random() * 3);
      while (picked.size < n) picked.add(pool[Math.floor(Math.random() * pool.length)]!);
      return [...picked];
    };
    const compWants = Array.from({ length: 8 }, pick);
    const releaseWants = Array.from({ length: 8 }, pick);

    const [comps, releases] = await Promise.all([
      Promise.all(compWants.map((wanted, i) => bookForGuest(wanted, `Guest ${i} ${randomUUID().slice(0, 4)}`))),
      Promise.all(releaseWants.map((wanted) => gql<{ releaseSeats: Array<{ id: string }> }>(RELEASE, { s: scheduleId, seats: wanted }, { token: admin }))),
    ]);

    const claims = await liveClaims(pool);
    expect(new Set(claims.map((claim) => claim.seat_id)).size).toBe(claims.length);
    const holderOf = new Map(claims.map((claim) => [claim.seat_id, claim]));
    comps.forEach((response, i) => {
      if (response.errors) {
        expect(['INVALID_STATE', 'SEAT_UNAVAILABLE']).toContain(errorCode(response));
        return;
      }
      for (const seatId of compWants[i]!) expect(holderOf.get(seatId)?.booking_id).toBe(response.data!.bookBlockedSeats.id);
    });
    releases.forEach((response, i) => {
      if (response.errors) {
        expect(['INVALID_STATE', 'SEAT_UNAVAILABLE']).toContain(errorCode(response));
        return;
      }
      // A released seat ends free: a comp needs a live block, and a released seat has none (no block was made during the race).
      for (const seatId of releaseWants[i]!) expect(holderOf.get(seatId)).toBeUndefined();
    });
    // Every comp that answered booked is in the fence with all its seats; no other booking claims the pool.
    const compIds = new Set(comps.flatMap((response) => (response.data ? [response.data.bookBlockedSeats.id] : [])));
    expect(claims.filter((claim) => claim.booking_id !== null && !compIds.has(claim.booking_id))).toEqual([]);
    const compedRows = await sql<{ n: number }>('booking', `SELECT count(*)::int AS n FROM bookings WHERE schedule_id = $1 AND guest_name LIKE 'Guest %'`, [scheduleId]);
    expect(compedRows[0]!.n).toBe(compIds.size);
  });
});
