import {
  addSeats,
  admitFreely,
  admittedFan,
  closeDatabases,
  errorCode,
  gql,
  holdSeats,
  logInAdmin,
  mapLimit,
  openSchedule,
  sql,
  testSystem,
  type AdmittedFan,
} from '@ticketing/test-support';

/*
 * The back office's list of a schedule's bookings: scheduleBookings with its filters and keyset
 * pages through the gateway, and the same list as a CSV download from the gateway.
 */
const LIST = `query L($s: ID!, $status: BookingStatus, $u: ID, $from: DateTime, $before: DateTime, $first: Int, $after: String) {
  scheduleBookings(scheduleId: $s, status: $status, userId: $u, createdFrom: $from, createdBefore: $before, first: $first, after: $after) {
    nodes { id status createdAt user { id } }
    pageInfo { hasNextPage endCursor }
  }
}`;
type ListAnswer = { scheduleBookings: { nodes: Array<{ id: string; status: string; createdAt: string; user: { id: string } }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } } };

let admin: string;
let scheduleId: string;
let fans: AdmittedFan[];
let bookingIds: string[];
/** Added with the others: booking's seat catalog is cached, and a seat added a moment later may be unknown to it for a while. */
let compSeat: string;

const list = (variables: Record<string, unknown>, token = admin) => gql<ListAnswer>(LIST, { s: scheduleId, ...variables }, { token });

const exportUrl = (params: Record<string, string>) => `${new URL(testSystem().gatewayUrl).origin}/exports/schedule-bookings.csv?${new URLSearchParams(params)}`;
const download = (params: Record<string, string>, token?: string) => fetch(exportUrl(params), token ? { headers: { authorization: `Bearer ${token}` } } : {});

beforeAll(async () => {
  admin = await logInAdmin();
  scheduleId = await openSchedule();
  const seats = await addSeats(scheduleId, 7, 40_000);
  compSeat = (await addSeats(scheduleId, 1, 0))[0]!;
  await admitFreely(scheduleId);
  fans = await mapLimit(Array.from({ length: 7 }), 4, () => admittedFan(scheduleId));
  // One at a time, so creation order is the order of this list.
  bookingIds = [];
  for (const [i, fan] of fans.entries()) {
    const held = await holdSeats(fan, scheduleId, [seats[i]!]);
    if (!held.booking) throw new Error(`hold failed: ${JSON.stringify(held.response.errors)}`);
    bookingIds.push(held.booking.id);
  }
  // Two cancelled by their fans.
  for (const i of [1, 4]) {
    const cancelled = await gql('mutation C($b: ID!) { cancelBooking(bookingId: $b) { id } }', { b: bookingIds[i] }, { token: fans[i]!.token });
    if (cancelled.errors) throw new Error(JSON.stringify(cancelled.errors));
  }
});
afterAll(() => closeDatabases());

describe('scheduleBookings', () => {
  it('given 7 bookings, when an admin pages 3 at a time, then every booking comes once, newest first, and the last page says there is no more', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 5; pages += 1) {
      const response: Awaited<ReturnType<typeof list>> = await list({ first: 3, after });
      expect(response.errors).toBeUndefined();
      seen.push(...response.data!.scheduleBookings.nodes.map((node) => node.id));
      if (!response.data!.scheduleBookings.pageInfo.hasNextPage) break;
      after = response.data!.scheduleBookings.pageInfo.endCursor;
    }
    expect(seen).toEqual([...bookingIds].reverse());
  });

  it('given filters, then only the bookings matching every one come: by status, by fan, by time', async () => {
    const cancelled = await list({ status: 'CANCELLED' });
    expect(cancelled.data!.scheduleBookings.nodes.map((node) => node.id).sort()).toEqual([bookingIds[1], bookingIds[4]].sort());

    const oneFan = await list({ u: fans[2]!.id });
    expect(oneFan.data!.scheduleBookings.nodes.map((node) => node.id)).toEqual([bookingIds[2]]);

    const all = (await list({})).data!.scheduleBookings.nodes;
    const third = all.find((node) => node.id === bookingIds[2])!;
    const fifth = all.find((node) => node.id === bookingIds[4])!;
    const between = await list({ from: third.createdAt, before: fifth.createdAt });
    expect(between.data!.scheduleBookings.nodes.map((node) => node.id)).toEqual([bookingIds[3], bookingIds[2]]);
    expect((await list({ status: 'HELD', u: fans[1]!.id })).data!.scheduleBookings.nodes).toEqual([]);
  });

  it('given a fan, then FORBIDDEN; signed out, UNAUTHENTICATED; a reversed time range or a bad page size, BAD_USER_INPUT', async () => {
    expect(errorCode(await list({}, fans[0]!.token))).toBe('FORBIDDEN');
    expect(errorCode(await gql(LIST, { s: scheduleId }))).toBe('UNAUTHENTICATED');
    expect(errorCode(await list({ from: '2030-01-02T00:00:00Z', before: '2030-01-01T00:00:00Z' }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await list({ first: 0 }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await list({ u: 'not-an-id' }))).toBe('BAD_USER_INPUT');
  });

  it('given a schedule with no bookings or an id that is not one, then an empty page', async () => {
    expect((await gql<ListAnswer>(LIST, { s: await openSchedule() }, { token: admin })).data!.scheduleBookings).toEqual({ nodes: [], pageInfo: { hasNextPage: false, endCursor: null } });
    expect((await gql<ListAnswer>(LIST, { s: 'nope' }, { token: admin })).data!.scheduleBookings.nodes).toEqual([]);
  });
});

describe('GET /exports/schedule-bookings.csv', () => {
  it('given an admin, then a CSV with a header and one record per booking (newest first), seats labelled, e-mails from the user subgraph', async () => {
    const response = await download({ scheduleId }, admin);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="bookings-/);
    const lines = (await response.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe('bookingId,createdAt,status,amountKRW,seatCount,seats,userId,userEmail,guestName,heldUntil,lastChangeAt,lastReason');
    expect(lines.slice(1).map((line) => line.split(',')[0])).toEqual([...bookingIds].reverse());
    const cancelled = lines.find((line) => line.startsWith(bookingIds[1]!))!.split(',');
    expect(cancelled[2]).toBe('CANCELLED');
    expect(cancelled[3]).toBe('40000');
    expect(cancelled[5]).toMatch(/^S-[0-9a-f]{8}-A-2$/);
    expect(cancelled[6]).toBe(fans[1]!.id);
    expect(cancelled[7]).toBe(fans[1]!.email);
  });

  it('given a filter, then the CSV has only what matches it', async () => {
    const lines = (await (await download({ scheduleId, status: 'CANCELLED' }, admin)).text()).trimEnd().split('\r\n');
    expect(lines).toHaveLength(3);
  });

  it('given no token, a fan or a bad filter, then a JSON error with its status and code, never CSV', async () => {
    const cases: Array<[Record<string, string>, string | undefined, number, string]> = [
      [{ scheduleId }, undefined, 401, 'UNAUTHENTICATED'],
      [{ scheduleId }, fans[0]!.token, 403, 'FORBIDDEN'],
      [{ scheduleId, status: 'NOPE' }, admin, 400, 'BAD_USER_INPUT'],
      [{}, admin, 400, 'BAD_USER_INPUT'],
    ];
    for (const [params, token, status, code] of cases) {
      const response = await download(params, token);
      expect([response.status, response.headers.get('content-type')]).toEqual([status, expect.stringMatching(/^application\/json/)]);
      expect(((await response.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]!.extensions.code).toBe(code);
    }
    const forged = await download({ scheduleId }, `${admin}x`);
    expect(forged.status).toBe(401);
  });

  it('given a guest name a spreadsheet would run as a formula, then it is written as text', async () => {
    const seats = [compSeat];
    const blocked = await gql('mutation B($s: ID!, $seats: [ID!]!) { blockSeats(scheduleId: $s, seatIds: $seats, reason: "comp") { id } }', { s: scheduleId, seats }, { token: admin });
    expect(blocked.errors).toBeUndefined();
    const comped = await gql('mutation C($s: ID!, $seats: [ID!]!) { bookBlockedSeats(scheduleId: $s, seatIds: $seats, guestName: "=HYPERLINK(\\"x\\")") { id } }', { s: scheduleId, seats }, { token: admin });
    expect(comped.errors).toBeUndefined();

    const csv = await (await download({ scheduleId, status: 'CONFIRMED' }, admin)).text();

    expect(csv).toContain(`"'=HYPERLINK(""x"")"`);
    const [count] = await sql<{ n: number }>('booking', 'SELECT count(*)::int AS n FROM bookings WHERE schedule_id = $1', [scheduleId]);
    expect(csv.trimEnd().split('\r\n')).toHaveLength(1 + 1);
    expect(count!.n).toBe(bookingIds.length + 1);
  });
});
