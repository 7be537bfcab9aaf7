import { randomUUID } from 'node:crypto';
import { parseEvent, type KnownEvent } from '@ticketing/contracts';
import { closeDatabases, errorCode, gql, logInAdmin, signUpFan, sql, type GraphQLResponse } from '@ticketing/test-support';

/*
 * closeSales and openSales through the gateway, as an admin's client sends them: who may, what
 * they refuse, what they write (the row and its outbox rows in one transaction) and that
 * concurrent calls leave the row equal to the last event of the schedule's stream. What a close
 * does to the waiting room and to holds is subgraphs/queue/test/sale-window.int.spec.ts.
 */

jest.setTimeout(60_000);

const SCHEDULE = 'id bookingOpensAt salesClosedAt';
interface ScheduleView {
  id: string;
  bookingOpensAt: string;
  salesClosedAt: string | null;
}

let admin: string;
let fan: string;
beforeAll(async () => {
  [admin, fan] = await Promise.all([logInAdmin(), signUpFan().then((signedUp) => signedUp.token)]);
});
afterAll(() => closeDatabases());

const HOUR = 3600_000;

const closeSales = (scheduleId: string, reason: string, token: string | null = admin) =>
  gql<{ closeSales: ScheduleView }>(`mutation Close($id: ID!, $reason: String!) { closeSales(scheduleId: $id, reason: $reason) { ${SCHEDULE} } }`, { id: scheduleId, reason }, token ? { token } : {});
const openSales = (scheduleId: string, token: string | null = admin) =>
  gql<{ openSales: ScheduleView }>(`mutation Open($id: ID!) { openSales(scheduleId: $id) { ${SCHEDULE} } }`, { id: scheduleId }, token ? { token } : {});

function data<T>(response: GraphQLResponse<T>): T {
  if (!response.data || response.errors) throw new Error(`unexpected errors: ${JSON.stringify(response.errors)}`);
  return response.data;
}

/** A schedule made through the back office (so with its ScheduleCreated), opening at `opensAt`. */
async function newSchedule(opensAt: Date): Promise<ScheduleView> {
  const { createConcert } = data(
    await gql<{ createConcert: { id: string } }>('mutation C($input: CreateConcertInput!) { createConcert(input: $input) { id } }', {
      input: { title: 'Sales Window Tour', artist: `Artist ${randomUUID()}`, venue: 'Test Hall' },
    }, { token: admin }),
  );
  return data(
    await gql<{ createSchedule: ScheduleView }>(
      `mutation S($concertId: ID!, $input: CreateScheduleInput!) { createSchedule(concertId: $concertId, input: $input) { ${SCHEDULE} } }`,
      { concertId: createConcert.id, input: { startsAt: new Date(Date.now() + 30 * 24 * HOUR).toISOString(), bookingOpensAt: opensAt.toISOString() } },
      { token: admin },
    ),
  ).createSchedule;
}

/** The schedule's stream as the outbox holds it, parsed through the contracts, in version order. */
async function streamOf(scheduleId: string): Promise<KnownEvent[]> {
  const rows = await sql<{ payload: string }>('concert', 'SELECT payload::text AS payload FROM outbox WHERE aggregate_id = $1', [scheduleId]);
  return rows
    .map(({ payload }) => {
      const parsed = parseEvent(payload);
      if (!parsed.ok) throw new Error(`outbox row is not a valid event: ${parsed.reason}`);
      return parsed.value;
    })
    .sort((a, b) => a.streamVersion - b.streamVersion);
}

async function rowOf(scheduleId: string) {
  const [row] = await sql<{ booking_opens_at: Date; sales_closed_at: Date | null; version: number }>(
    'concert',
    'SELECT booking_opens_at, sales_closed_at, version FROM schedules WHERE id = $1',
    [scheduleId],
  );
  return row!;
}

describe('closeSales and openSales', () => {
  it('given a fan, then both are FORBIDDEN; signed out, UNAUTHENTICATED; and nothing is written', async () => {
    const schedule = await newSchedule(new Date(Date.now() - HOUR));
    const before = [await rowOf(schedule.id), await streamOf(schedule.id)];

    expect([errorCode(await closeSales(schedule.id, 'no', fan)), errorCode(await openSales(schedule.id, fan))]).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    expect([errorCode(await closeSales(schedule.id, 'no', null)), errorCode(await openSales(schedule.id, null))]).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED']);
    expect([await rowOf(schedule.id), await streamOf(schedule.id)]).toEqual(before);
  });

  it('given an empty, blank or overlong reason, then BAD_USER_INPUT on reason; an unknown or malformed schedule is NOT_FOUND; nothing is written', async () => {
    const schedule = await newSchedule(new Date(Date.now() - HOUR));
    const before = [await rowOf(schedule.id), await streamOf(schedule.id)];

    for (const reason of ['', '   ', 'x'.repeat(501)]) {
      const refused = await closeSales(schedule.id, reason);
      expect([errorCode(refused), refused.errors?.[0]?.extensions?.['field']]).toEqual(['BAD_USER_INPUT', 'reason']);
    }
    expect(errorCode(await closeSales(randomUUID(), 'the venue flooded'))).toBe('NOT_FOUND');
    expect(errorCode(await closeSales('not-an-id', 'the venue flooded'))).toBe('NOT_FOUND');
    expect(errorCode(await openSales(randomUUID()))).toBe('NOT_FOUND');
    expect([await rowOf(schedule.id), await streamOf(schedule.id)]).toEqual(before);
  });

  it('given open sales, when an admin closes them twice, then salesClosedAt is set once and only one SalesClosed (with the trimmed reason) is published', async () => {
    const schedule = await newSchedule(new Date(Date.now() - HOUR));

    const closed = data(await closeSales(schedule.id, '  the stage is not safe ')).closeSales;
    expect(closed).toEqual({ ...schedule, salesClosedAt: expect.any(String) });
    const again = data(await closeSales(schedule.id, 'another reason')).closeSales;

    expect(again).toEqual(closed);
    const [, ...events] = await streamOf(schedule.id);
    expect(events.map((e) => [e.type, e.streamVersion, e.payload])).toEqual([
      ['SalesClosed', 1, { scheduleId: schedule.id, closedAt: closed.salesClosedAt, reason: 'the stage is not safe', closedBy: expect.any(String) }],
    ]);
    expect((await rowOf(schedule.id)).sales_closed_at?.toISOString()).toBe(closed.salesClosedAt);
  });

  it('given a sale opening tomorrow, when an admin opens it, then it opens now with SalesOpened; opening again changes nothing; a close then an open clears the close and keeps that opening', async () => {
    const schedule = await newSchedule(new Date(Date.now() + 24 * HOUR));

    const before = Date.now();
    const opened = data(await openSales(schedule.id)).openSales;
    expect(new Date(opened.bookingOpensAt).getTime()).toBeGreaterThanOrEqual(before - 1_000);
    expect(new Date(opened.bookingOpensAt).getTime()).toBeLessThanOrEqual(Date.now());
    expect(opened.salesClosedAt).toBeNull();
    expect(data(await openSales(schedule.id)).openSales).toEqual(opened);

    data(await closeSales(schedule.id, 'sound check overran'));
    const reopened = data(await openSales(schedule.id)).openSales;
    expect(reopened).toEqual(opened);

    const [, ...events] = await streamOf(schedule.id);
    expect(events.map((e) => [e.type, e.streamVersion])).toEqual([
      ['SalesOpened', 1],
      ['SalesClosed', 2],
      ['SalesOpened', 3],
    ]);
    expect(events[0]!.payload).toEqual({ scheduleId: schedule.id, openedAt: opened.bookingOpensAt, bookingOpensAt: opened.bookingOpensAt, openedBy: expect.any(String) });
    expect(events[2]!.payload).toMatchObject({ bookingOpensAt: opened.bookingOpensAt });
    expect(await rowOf(schedule.id)).toEqual({ booking_opens_at: new Date(opened.bookingOpensAt), sales_closed_at: null, version: 4 });
  });
});

describe('admins opening and closing one schedule at once', () => {
  it('given 10 concurrent opens and closes, then all succeed, the row equals the last event of the stream, opens and closes alternate and the versions have no gap', async () => {
    const schedule = await newSchedule(new Date(Date.now() - HOUR));
    // Warm the service's pool with opens that change nothing (each queues on the row lock holding a
    // connection): on cold connections the handshakes alone spread the calls out and there is no race.
    await Promise.all(Array.from({ length: 10 }, () => openSales(schedule.id)));

    const responses = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? closeSales(schedule.id, `race ${i}`) : openSales(schedule.id))));

    expect(responses.map((r) => errorCode(r) ?? 'ok')).toEqual(Array(10).fill('ok'));
    const events = await streamOf(schedule.id);
    expect(events.map((e) => e.streamVersion)).toEqual(events.map((_, i) => i));
    const sales = events.slice(1).map((e) => e.type);
    expect(sales.length).toBeGreaterThan(0);
    // From open, each change flips the state: Closed, Opened, Closed, ... with no two alike in a row.
    expect(sales).toEqual(sales.map((_, i) => (i % 2 === 0 ? 'SalesClosed' : 'SalesOpened')));
    const last = events[events.length - 1]!;
    const row = await rowOf(schedule.id);
    expect(row.version).toBe(events.length);
    if (last.type === 'SalesClosed') expect(row.sales_closed_at?.toISOString()).toBe(last.payload.closedAt);
    else expect(row.sales_closed_at).toBeNull();
    const read = data(await gql<{ schedule: ScheduleView }>(`query S($id: ID!) { schedule(id: $id) { ${SCHEDULE} } }`, { id: schedule.id })).schedule;
    expect(read.salesClosedAt).toBe(last.type === 'SalesClosed' ? last.payload.closedAt : null);
  });
});
