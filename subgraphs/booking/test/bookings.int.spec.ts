import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { closeDatabases, errorCode, gql, logInAdmin, signUpFan, sql, testSystem, type SignedUpFan } from '@ticketing/test-support';

type Status = 'HELD' | 'PAYMENT_PENDING' | 'CONFIRMED' | 'CANCELLED' | 'EXPIRED';

const BOOKING_FIELDS = `id status amount heldUntil createdAt
  user { id } schedule { id } seats { id }
  history { status at reason }`;
const BOOKING = `query Booking($id: ID!) { booking(id: $id) { ${BOOKING_FIELDS} } }`;
const MY_BOOKINGS = `query Mine($first: Int, $after: String) {
  myBookings(first: $first, after: $after) { nodes { id createdAt } pageInfo { hasNextPage endCursor } }
}`;

interface BookingView {
  id: string;
  status: Status;
  amount: number;
  heldUntil: string | null;
  createdAt: string;
  user: { id: string; email?: string };
  schedule: { id: string };
  seats: Array<{ id: string }>;
  history: Array<{ status: Status; at: string; reason: string | null }>;
}
interface Page {
  myBookings: { nodes: Array<{ id: string; createdAt: string }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

/** The path a booking took to reach each status, as the saga would have recorded it. */
const PATHS: Record<Status, Array<[Status, string]>> = {
  HELD: [['HELD', 'seats held']],
  PAYMENT_PENDING: [['HELD', 'seats held'], ['PAYMENT_PENDING', 'payment requested']],
  CONFIRMED: [['HELD', 'seats held'], ['PAYMENT_PENDING', 'payment requested'], ['CONFIRMED', 'payment completed']],
  CANCELLED: [['HELD', 'seats held'], ['CANCELLED', 'cancelled by the fan']],
  EXPIRED: [['HELD', 'seats held'], ['EXPIRED', 'hold expired before payment']],
};
const holding = (status: Status) => status === 'HELD' || status === 'PAYMENT_PENDING';

/** Writes a booking straight into the booking database (the saga that creates them comes later). */
async function insertBooking(
  userId: string,
  options: { status?: Status; createdAt?: Date; seatIds?: string[]; scheduleId?: string; amount?: number } = {},
) {
  const id = randomUUID();
  const status = options.status ?? 'HELD';
  const createdAt = options.createdAt ?? new Date();
  const scheduleId = options.scheduleId ?? randomUUID();
  const seatIds = options.seatIds ?? [randomUUID(), randomUUID()];
  const heldUntil = holding(status) ? new Date(createdAt.getTime() + 300_000) : null;
  const path = PATHS[status];
  await sql(
    'booking',
    `INSERT INTO bookings (id, user_id, schedule_id, status, amount, held_until, version, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)`,
    [id, userId, scheduleId, status, options.amount ?? 240_000, heldUntil, path.length - 1, createdAt],
  );
  for (const seatId of seatIds) {
    await sql('booking', 'INSERT INTO seat_claims (booking_id, seat_id, schedule_id, status) VALUES ($1, $2, $3, $4)', [
      id,
      seatId,
      scheduleId,
      status,
    ]);
  }
  for (const [version, [step, reason]] of path.entries()) {
    await sql('booking', 'INSERT INTO booking_transitions (booking_id, version, status, at, reason) VALUES ($1, $2, $3, $4, $5)', [
      id,
      version,
      step,
      new Date(createdAt.getTime() + version * 1000),
      reason,
    ]);
  }
  return { id, scheduleId, seatIds, createdAt, heldUntil };
}

let owner: SignedUpFan;
let stranger: SignedUpFan;
let admin: string;
beforeAll(async () => {
  [owner, stranger, admin] = await Promise.all([signUpFan('Owner'), signUpFan('Stranger'), logInAdmin()]);
});
afterAll(closeDatabases);

describe('booking(id)', () => {
  it('shows the owner the booking with its history, and resolves user, schedule and seats as entity references', async () => {
    const createdAt = new Date('2030-01-02T03:04:05.678Z');
    const booking = await insertBooking(owner.id, { status: 'CONFIRMED', createdAt, amount: 310_000 });
    const response = await gql<{ booking: BookingView }>(
      `query Booking($id: ID!) { booking(id: $id) { ${BOOKING_FIELDS} user { email } } }`,
      { id: booking.id },
      { token: owner.token },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data?.booking).toEqual({
      id: booking.id,
      status: 'CONFIRMED',
      amount: 310_000,
      heldUntil: null,
      createdAt: '2030-01-02T03:04:05.678Z',
      // email comes from the user subgraph through the gateway: the User reference really resolves.
      user: { id: owner.id, email: owner.email },
      schedule: { id: booking.scheduleId },
      seats: [...booking.seatIds].sort().map((id) => ({ id })),
      history: [
        { status: 'HELD', at: '2030-01-02T03:04:05.678Z', reason: 'seats held' },
        { status: 'PAYMENT_PENDING', at: '2030-01-02T03:04:06.678Z', reason: 'payment requested' },
        { status: 'CONFIRMED', at: '2030-01-02T03:04:07.678Z', reason: 'payment completed' },
      ],
    });
  });

  it('shows heldUntil while seats are held', async () => {
    const booking = await insertBooking(owner.id, { status: 'HELD' });
    const response = await gql<{ booking: BookingView }>(BOOKING, { id: booking.id }, { token: owner.token });
    expect(response.data?.booking.heldUntil).toBe(booking.heldUntil!.toISOString());
  });

  it('finds the booking whatever the case of its id', async () => {
    const booking = await insertBooking(owner.id);
    const response = await gql<{ booking: BookingView }>(BOOKING, { id: booking.id.toUpperCase() }, { token: owner.token });
    expect(response.data?.booking.id).toBe(booking.id);
  });

  it("answers someone else's booking exactly like a missing one: NOT_FOUND, no data", async () => {
    const booking = await insertBooking(owner.id);
    const theirs = await gql(BOOKING, { id: booking.id }, { token: stranger.token });
    const missing = await gql(BOOKING, { id: randomUUID() }, { token: stranger.token });
    expect(errorCode(theirs)).toBe('NOT_FOUND');
    expect(theirs.data).toEqual({ booking: null });
    expect(theirs.errors?.[0]?.message).toBe(missing.errors?.[0]?.message);
    expect(errorCode(missing)).toBe('NOT_FOUND');
    expect(JSON.stringify(theirs)).not.toContain(owner.id);
  });

  it('lets an admin read any booking', async () => {
    const booking = await insertBooking(owner.id, { status: 'EXPIRED' });
    const response = await gql<{ booking: BookingView }>(BOOKING, { id: booking.id }, { token: admin });
    expect(response.errors).toBeUndefined();
    expect(response.data?.booking).toMatchObject({ id: booking.id, status: 'EXPIRED', user: { id: owner.id } });
    expect(response.data?.booking.history.map((h) => h.status)).toEqual(['HELD', 'EXPIRED']);
  });

  it('refuses anonymous callers with UNAUTHENTICATED', async () => {
    const booking = await insertBooking(owner.id);
    const response = await gql(BOOKING, { id: booking.id });
    expect(errorCode(response)).toBe('UNAUTHENTICATED');
    expect(response.data).toEqual({ booking: null });
  });

  it.each(['not-a-uuid', '', "' OR 1=1 --", `${randomUUID()}x`])('answers the id %p with NOT_FOUND', async (id) => {
    const response = await gql(BOOKING, { id }, { token: owner.token });
    expect(errorCode(response)).toBe('NOT_FOUND');
  });
});

describe('Booking as a federation entity (_entities on the booking subgraph)', () => {
  const ENTITIES = 'query Refs($refs: [_Any!]!) { _entities(representations: $refs) { ... on Booking { id status } } }';
  const bookingUrl = () => `${testSystem().serviceUrls['booking']}/graphql`;

  it('resolves references for the owner in one batch, and never reveals a stranger its data', async () => {
    const [a, b] = await Promise.all([insertBooking(owner.id), insertBooking(owner.id, { status: 'CANCELLED' })]);
    const refs = [a, b].map(({ id }) => ({ __typename: 'Booking', id }));
    const mine = await gql<{ _entities: Array<{ id: string; status: string }> }>(ENTITIES, { refs }, { url: bookingUrl(), token: owner.token });
    expect(mine.errors).toBeUndefined();
    expect(mine.data?._entities).toEqual([
      { id: a.id, status: 'HELD' },
      { id: b.id, status: 'CANCELLED' },
    ]);

    const theirs = await gql<{ _entities: unknown[] }>(ENTITIES, { refs }, { url: bookingUrl(), token: stranger.token });
    expect(theirs.data?._entities).toEqual([null, null]);
    expect(theirs.errors?.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND', 'NOT_FOUND']);

    const anonymous = await gql(ENTITIES, { refs }, { url: bookingUrl() });
    expect(errorCode(anonymous)).toBe('UNAUTHENTICATED');
  });
});

describe('myBookings', () => {
  it("lists only the caller's bookings, newest first, page by page with stable cursors", async () => {
    const fan = await signUpFan();
    const base = Date.parse('2031-06-01T00:00:00.000Z');
    const tie = new Date(base + 3_000);
    const inserted = [];
    for (const [i, createdAt] of [new Date(base), new Date(base + 1_000), new Date(base + 2_000), tie, tie].entries()) {
      inserted.push(await insertBooking(fan.id, { createdAt, status: (['HELD', 'CONFIRMED', 'EXPIRED', 'CANCELLED', 'PAYMENT_PENDING'] as const)[i] }));
    }
    await insertBooking(stranger.id, { createdAt: new Date(base + 1_500) });
    // Newest first; equal timestamps ordered by id, descending.
    const expected = [...inserted]
      .sort((x, y) => y.createdAt.getTime() - x.createdAt.getTime() || (y.id > x.id ? 1 : -1))
      .map((booking) => booking.id);

    const seen: string[] = [];
    const pages: boolean[] = [];
    let after: string | null = null;
    for (let guard = 0; guard < 10; guard++) {
      const response: Awaited<ReturnType<typeof gql<Page>>> = await gql<Page>(MY_BOOKINGS, { first: 2, after }, { token: fan.token });
      expect(response.errors).toBeUndefined();
      const page = response.data!.myBookings;
      seen.push(...page.nodes.map((node) => node.id));
      pages.push(page.pageInfo.hasNextPage);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(expected);
    expect(pages).toEqual([true, true, false]);

    const all = await gql<Page>(MY_BOOKINGS, {}, { token: fan.token });
    expect(all.data?.myBookings.nodes.map((node) => node.id)).toEqual(expected);
    expect(all.data?.myBookings.pageInfo.hasNextPage).toBe(false);
  });

  it('answers a fan without bookings with an empty page', async () => {
    const fan = await signUpFan();
    const response = await gql<Page>(MY_BOOKINGS, { first: 100 }, { token: fan.token });
    expect(response.data?.myBookings).toEqual({ nodes: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });

  it('lists an admin only their own bookings, not everyone\'s', async () => {
    const adminId = (JSON.parse(Buffer.from(admin.split('.')[1]!, 'base64url').toString()) as { sub: string }).sub;
    const own = await insertBooking(adminId);
    const response = await gql<Page>(MY_BOOKINGS, { first: 100 }, { token: admin });
    // Other files' comps (bookBlockedSeats) are the admin's own too: the list is exactly the admin's rows.
    const admins = await sql<{ id: string }>('booking', 'SELECT id::text FROM bookings WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT 100', [adminId]);
    expect(response.data?.myBookings.nodes.map((node) => node.id)).toEqual(admins.map((row) => row.id));
    expect(admins.map((row) => row.id)).toContain(own.id);
  });

  it.each([
    ['first: 0', { first: 0 }, 'first'],
    ['first: 101', { first: 101 }, 'first'],
    ['first: -1', { first: -1 }, 'first'],
    ['a made-up cursor', { after: 'garbage' }, 'after'],
    ['an empty cursor', { after: '' }, 'after'],
    ['a cursor with a bad id', { after: Buffer.from('2031-06-01T00:00:00.000Z|nope').toString('base64url') }, 'after'],
    ['a cursor with a bad date', { after: Buffer.from(`2031-13-01T00:00:00.000Z|${randomUUID()}`).toString('base64url') }, 'after'],
  ])('refuses %s with BAD_USER_INPUT', async (_case, variables, field) => {
    const response = await gql(MY_BOOKINGS, variables, { token: owner.token });
    expect(errorCode(response)).toBe('BAD_USER_INPUT');
    expect(response.errors?.[0]?.extensions?.['field']).toBe(field);
  });

  it('refuses anonymous callers with UNAUTHENTICATED', async () => {
    expect(errorCode(await gql(MY_BOOKINGS))).toBe('UNAUTHENTICATED');
  });
});

describe('the seat-claim fence in PostgreSQL', () => {
  const claim = (bookingId: string, seatId: string, scheduleId: string, status: Status) =>
    sql('booking', 'INSERT INTO seat_claims (booking_id, seat_id, schedule_id, status) VALUES ($1, $2, $3, $4)', [
      bookingId,
      seatId,
      scheduleId,
      status,
    ]);
  const release = (bookingId: string, status: 'CANCELLED' | 'EXPIRED') =>
    Promise.all([
      sql('booking', 'UPDATE bookings SET status = $2, held_until = NULL, version = version + 1 WHERE id = $1', [bookingId, status]),
      sql('booking', 'UPDATE seat_claims SET status = $2 WHERE booking_id = $1', [bookingId, status]),
    ]);
  const ONE_ACTIVE_CLAIM = { code: '23505', constraint: 'seat_claims_one_active_claim_per_seat' };

  it.each<Status>(['HELD', 'PAYMENT_PENDING', 'CONFIRMED'])(
    'refuses a second live claim on a seat claimed by a %s booking',
    async (status) => {
      const seat = randomUUID();
      const first = await insertBooking(owner.id, { status, seatIds: [seat] });
      const second = await insertBooking(stranger.id, { scheduleId: first.scheduleId, seatIds: [randomUUID()] });
      for (const contender of ['HELD', 'PAYMENT_PENDING', 'CONFIRMED'] as const) {
        await expect(claim(second.id, seat, first.scheduleId, contender)).rejects.toMatchObject(ONE_ACTIVE_CLAIM);
      }
    },
  );

  it('lets the seat be claimed again once the claim is CANCELLED, and again after that claim EXPIRED', async () => {
    const seat = randomUUID();
    const first = await insertBooking(owner.id, { seatIds: [seat] });
    const second = await insertBooking(stranger.id, { scheduleId: first.scheduleId, seatIds: [randomUUID()] });
    const third = await insertBooking(owner.id, { scheduleId: first.scheduleId, seatIds: [randomUUID()] });

    await release(first.id, 'CANCELLED');
    await claim(second.id, seat, first.scheduleId, 'HELD');
    await expect(claim(third.id, seat, first.scheduleId, 'HELD')).rejects.toMatchObject(ONE_ACTIVE_CLAIM);

    await release(second.id, 'EXPIRED');
    await claim(third.id, seat, first.scheduleId, 'HELD');

    const claims = await sql<{ booking_id: string; status: string }>(
      'booking',
      'SELECT booking_id, status FROM seat_claims WHERE seat_id = $1 ORDER BY created_at',
      [seat],
    );
    expect(claims).toEqual([
      { booking_id: first.id, status: 'CANCELLED' },
      { booking_id: second.id, status: 'EXPIRED' },
      { booking_id: third.id, status: 'HELD' },
    ]);
  });

  it('lets exactly one of 20 concurrent transactions claiming one seat commit', async () => {
    const seat = randomUUID();
    const scheduleId = randomUUID();
    const contenders = await Promise.all(
      Array.from({ length: 20 }, () => insertBooking(owner.id, { scheduleId, seatIds: [randomUUID()] })),
    );
    // One connection per contender, each in its own transaction, as 20 booking instances would race.
    const clients = contenders.map(() => new Client({ connectionString: testSystem().env['BOOKING_DATABASE_URL'] }));
    await Promise.all(clients.map((client) => client.connect()));
    try {
      const results = await Promise.allSettled(
        clients.map(async (client, i) => {
          await client.query('BEGIN');
          try {
            await client.query('INSERT INTO seat_claims (booking_id, seat_id, schedule_id, status) VALUES ($1, $2, $3, $4)', [
              contenders[i]!.id,
              seat,
              scheduleId,
              'HELD',
            ]);
            await client.query('COMMIT');
          } catch (error) {
            await client.query('ROLLBACK');
            throw error;
          }
        }),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')) {
        expect(r.reason).toMatchObject(ONE_ACTIVE_CLAIM);
      }
    } finally {
      await Promise.all(clients.map((client) => client.end()));
    }
    const [live] = await sql<{ count: number }>(
      'booking',
      "SELECT count(*)::int AS count FROM seat_claims WHERE seat_id = $1 AND status IN ('HELD', 'PAYMENT_PENDING', 'CONFIRMED')",
      [seat],
    );
    expect(live?.count).toBe(1);
  });

  it.each([
    ['a negative amount', { amount: -1, status: 'HELD', heldUntil: true }, 'bookings_amount_not_negative'],
    ['a HELD booking without a deadline', { amount: 0, status: 'HELD', heldUntil: false }, 'bookings_held_until_while_holding'],
    ['a CONFIRMED booking that still has a deadline', { amount: 0, status: 'CONFIRMED', heldUntil: true }, 'bookings_held_until_while_holding'],
  ])('refuses %s (CHECK)', async (_case, row, constraint) => {
    const insert = sql(
      'booking',
      'INSERT INTO bookings (user_id, schedule_id, status, amount, held_until) VALUES ($1, $2, $3, $4, $5)',
      [owner.id, randomUUID(), row.status, row.amount, row.heldUntil ? new Date(Date.now() + 60_000) : null],
    );
    await expect(insert).rejects.toMatchObject({ code: '23514', constraint });
  });
});
