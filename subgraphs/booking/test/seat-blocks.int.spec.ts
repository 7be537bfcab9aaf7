import { randomUUID } from 'node:crypto';
import {
  addSeats,
  admitFreely,
  admittedFan,
  closeDatabases,
  errorCode,
  eventually,
  gql,
  holdSeats,
  logInAdmin,
  mapLimit,
  openSchedule,
  signUpFan,
  sql,
} from '@ticketing/test-support';

const BLOCK = 'mutation B($s: ID!, $seats: [ID!]!, $r: String!) { blockSeats(scheduleId: $s, seatIds: $seats, reason: $r) { id } }';
const RELEASE = 'mutation R($s: ID!, $seats: [ID!]!) { releaseSeats(scheduleId: $s, seatIds: $seats) { id } }';
const SEAT_MAP = 'query M($s: ID!) { schedule(id: $s) { availableSeatCount seats { id status } } }';

type BlockAnswer = { blockSeats: Array<{ id: string }> };
type ReleaseAnswer = { releaseSeats: Array<{ id: string }> };

/** Every live claim (a booking's or a block's) of these seats, as the fence has them. */
async function liveClaims(seatIds: readonly string[]) {
  return sql<{ seat_id: string; booking_id: string | null; block_id: string | null }>(
    'booking',
    `SELECT seat_id::text, booking_id::text, block_id::text FROM seat_claims
      WHERE seat_id = ANY($1::uuid[]) AND status IN ('HELD', 'PAYMENT_PENDING', 'CONFIRMED', 'BLOCKED')`,
    [seatIds],
  );
}

const blocksOfSchedule = async (scheduleId: string) =>
  (await sql<{ n: number }>('booking', 'SELECT count(*)::int AS n FROM seat_blocks WHERE schedule_id = $1', [scheduleId]))[0]!.n;

async function seatMap(scheduleId: string, token: string) {
  const response = await gql<{ schedule: { availableSeatCount: number; seats: Array<{ id: string; status: string }> } }>(SEAT_MAP, { s: scheduleId }, { token });
  return response.data!.schedule;
}

let adminToken: string;
let scheduleId: string;
let seats: string[];

beforeAll(async () => {
  adminToken = await logInAdmin();
  scheduleId = await openSchedule();
  seats = await addSeats(scheduleId, 40, 50_000);
  await admitFreely(scheduleId);
});
afterAll(() => closeDatabases());

describe('blockSeats', () => {
  it('given free seats, when an admin blocks them, then they are claimed by the block, SeatsBlocked is in the outbox, fans cannot hold them and the seat map shows them BLOCKED', async () => {
    const target = [seats[0]!, seats[1]!];
    const response = await gql<BlockAnswer>(BLOCK, { s: scheduleId, seats: target, r: 'VIP guests' }, { token: adminToken });

    expect(response.errors).toBeUndefined();
    expect(response.data!.blockSeats.map((seat) => seat.id).sort()).toEqual([...target].sort());
    const claims = await liveClaims(target);
    expect(claims).toHaveLength(2);
    expect(claims.every((claim) => claim.booking_id === null && claim.block_id !== null)).toBe(true);
    const [outbox] = await sql<{ aggregate_type: string; event_type: string; payload: { payload: Record<string, unknown> } }>(
      'booking',
      'SELECT aggregate_type, event_type, payload FROM outbox WHERE aggregate_id = $1',
      [claims[0]!.block_id],
    );
    expect(outbox).toMatchObject({ aggregate_type: 'seat-block', event_type: 'SeatsBlocked', payload: { payload: { scheduleId, reason: 'VIP guests' } } });
    expect((outbox!.payload.payload['seatSequence'] as number) > 0).toBe(true);

    const fan = await admittedFan(scheduleId);
    expect((await holdSeats(fan, scheduleId, [target[0]!])).code).toBe('SEAT_UNAVAILABLE');

    const map = await eventually(async () => {
      const now = await seatMap(scheduleId, fan.token);
      return target.every((id) => now.seats.find((seat) => seat.id === id)?.status === 'BLOCKED') && now;
    }, 30_000, 'the seat map shows the blocked seats');
    expect(map.availableSeatCount).toBe(map.seats.filter((seat) => seat.status === 'AVAILABLE').length);
    expect(map.seats.filter((seat) => seat.status === 'AVAILABLE').map((seat) => seat.id)).not.toContain(target[0]);
  });

  it('given a seat a fan holds, when an admin blocks it with a free one, then SEAT_UNAVAILABLE names the held seat and nothing is blocked', async () => {
    const fan = await admittedFan(scheduleId);
    const held = await holdSeats(fan, scheduleId, [seats[2]!]);
    expect(held.booking?.status).toBe('HELD');
    const blocksBefore = await blocksOfSchedule(scheduleId);

    const response = await gql<BlockAnswer>(BLOCK, { s: scheduleId, seats: [seats[3]!, seats[2]!], r: 'production hold' }, { token: adminToken });

    expect(errorCode(response)).toBe('SEAT_UNAVAILABLE');
    expect(response.errors![0]!.extensions).toMatchObject({ seatIds: [seats[2]] });
    expect(await blocksOfSchedule(scheduleId)).toBe(blocksBefore);
    expect(await liveClaims([seats[2]!, seats[3]!])).toEqual([{ seat_id: seats[2], booking_id: held.booking!.id, block_id: null }]);
  });

  it('given a fan, then blocking and releasing are FORBIDDEN; signed out, UNAUTHENTICATED; and a blank reason is BAD_USER_INPUT', async () => {
    const fan = await signUpFan();
    expect(errorCode(await gql(BLOCK, { s: scheduleId, seats: [seats[4]!], r: 'mine' }, { token: fan.token }))).toBe('FORBIDDEN');
    expect(errorCode(await gql(RELEASE, { s: scheduleId, seats: [seats[0]!] }, { token: fan.token }))).toBe('FORBIDDEN');
    expect(errorCode(await gql(BLOCK, { s: scheduleId, seats: [seats[4]!], r: 'mine' }))).toBe('UNAUTHENTICATED');
    expect(errorCode(await gql(BLOCK, { s: scheduleId, seats: [seats[4]!], r: '  ' }, { token: adminToken }))).toBe('BAD_USER_INPUT');
    expect(await liveClaims([seats[4]!])).toEqual([]);
  });
});

describe('releaseSeats', () => {
  it('given blocked seats, when an admin releases one, then a fan can hold it at once and the seat map shows it AVAILABLE, the other stays BLOCKED', async () => {
    const target = [seats[5]!, seats[6]!];
    expect((await gql<BlockAnswer>(BLOCK, { s: scheduleId, seats: target, r: 'sound desk' }, { token: adminToken })).errors).toBeUndefined();

    const response = await gql<ReleaseAnswer>(RELEASE, { s: scheduleId, seats: [seats[5]!] }, { token: adminToken });

    expect(response.errors).toBeUndefined();
    expect(response.data!.releaseSeats).toEqual([{ id: seats[5] }]);
    const fan = await admittedFan(scheduleId);
    await eventually(async () => {
      const map = await seatMap(scheduleId, fan.token);
      const status = (id: string) => map.seats.find((seat) => seat.id === id)?.status;
      return status(seats[5]!) === 'AVAILABLE' && status(seats[6]!) === 'BLOCKED';
    }, 30_000, 'the released seat AVAILABLE and the other BLOCKED');
    const held = await holdSeats(fan, scheduleId, [seats[5]!]);
    expect(held.booking?.status).toBe('HELD');
    const [outbox] = await sql<{ event_type: string }>(
      'booking',
      `SELECT event_type FROM outbox WHERE aggregate_type = 'seat-block' AND event_type = 'SeatsReleased' AND payload->'payload'->'seatIds' ? $1`,
      [seats[5]],
    );
    expect(outbox).toEqual({ event_type: 'SeatsReleased' });
  });

  it('given a seat that is not blocked, when released with a blocked one, then INVALID_STATE names it and nothing is released', async () => {
    expect((await gql<BlockAnswer>(BLOCK, { s: scheduleId, seats: [seats[7]!], r: 'camera' }, { token: adminToken })).errors).toBeUndefined();

    const response = await gql<ReleaseAnswer>(RELEASE, { s: scheduleId, seats: [seats[7]!, seats[8]!] }, { token: adminToken });

    expect(errorCode(response)).toBe('INVALID_STATE');
    expect(response.errors![0]!.extensions).toMatchObject({ seatIds: [seats[8]] });
    expect((await liveClaims([seats[7]!])).map((claim) => claim.block_id !== null)).toEqual([true]);
  });
});

describe('an admin blocking seats while fans hold them', () => {
  it('never lets a block and a hold both have a seat: 20 fans and 10 admin blocks on overlapping seats, each answer matching the fence', async () => {
    // A schedule of its own: booking keeps a schedule's seat list for a while (a miss refreshes it at
    // most every 2 s), so seats added to the file's schedule just after its last hold could be unknown.
    const scheduleId = await openSchedule();
    const pool = await addSeats(scheduleId, 12, 30_000);
    await admitFreely(scheduleId);
    const pick = (max: number) => {
      const picked = new Set<string>();
      const n = 1 + Math.floor(Math.random() * max);
      while (picked.size < n) picked.add(pool[Math.floor(Math.random() * pool.length)]!);
      return [...picked];
    };
    const fans = await mapLimit(Array.from({ length: 20 }), 10, () => admittedFan(scheduleId));
    const fanWants = fans.map(() => pick(2));
    const adminWants = Array.from({ length: 10 }, () => pick(3));

    const [holds, blocks] = await Promise.all([
      Promise.all(fans.map((fan, i) => holdSeats(fan, scheduleId, fanWants[i]!))),
      Promise.all(adminWants.map((wanted, i) => gql<BlockAnswer>(BLOCK, { s: scheduleId, seats: wanted, r: `race ${i} ${randomUUID()}` }, { token: adminToken }))),
    ]);

    const claims = await liveClaims(pool);
    // The fence: every seat at most one live claim, whoever asked.
    expect(new Set(claims.map((claim) => claim.seat_id)).size).toBe(claims.length);
    const holderOf = new Map(claims.map((claim) => [claim.seat_id, claim]));
    // Each fan's answer matches the fence: a hold owns all its seats, a refusal owns none.
    holds.forEach((result, i) => {
      if (result.booking?.status === 'HELD') {
        for (const seatId of fanWants[i]!) expect(holderOf.get(seatId)?.booking_id).toBe(result.booking.id);
      } else {
        expect(result.code).toBe('SEAT_UNAVAILABLE');
      }
    });
    const heldBookings = new Set(holds.flatMap((result) => (result.booking ? [result.booking.id] : [])));
    expect(claims.filter((claim) => claim.booking_id !== null && !heldBookings.has(claim.booking_id))).toEqual([]);
    // Each admin's answer too: a block owns all its seats (one block per call), a refusal names seats and wrote nothing.
    const blockIds = new Set<string>();
    blocks.forEach((response, i) => {
      if (response.errors) {
        expect(errorCode(response)).toBe('SEAT_UNAVAILABLE');
        return;
      }
      const owners = new Set(adminWants[i]!.map((seatId) => holderOf.get(seatId)?.block_id ?? null));
      expect(owners.size).toBe(1);
      const [owner] = [...owners];
      expect(owner).not.toBeNull();
      blockIds.add(owner!);
    });
    expect(claims.filter((claim) => claim.block_id !== null && !blockIds.has(claim.block_id))).toEqual([]);
    const rows = await sql<{ n: number }>('booking', 'SELECT count(*)::int AS n FROM seat_blocks WHERE reason LIKE $1 AND schedule_id = $2', ['race %', scheduleId]);
    expect(rows[0]!.n).toBe(blockIds.size);
    // Someone won: the race had winners, and every winner's seats are in the fence.
    expect(heldBookings.size + blockIds.size).toBeGreaterThan(0);
  });
});
