import {
  admitFreely,
  admittedFan,
  bookingReaches,
  chargeWallet,
  closeDatabases,
  createCatalogSchedule,
  errorCode,
  eventually,
  gql,
  holdSeats,
  logInAdmin,
  payBooking,
  signUpFan,
} from '@ticketing/test-support';
import { closeClients, connect, expectEnded, nextOf } from './subscription-client';

/*
 * The sales dashboard end to end: a schedule made through the back office (so its catalog events
 * reach the store), a real purchase through the gateway and the saga, the history subgraph's
 * projection, and `salesUpdated` over the gateway WebSocket.
 */
const FIELDS = 'scheduleId seatsTotal seatsAvailable seatsHeld seatsSold revenue bookingsConfirmed fansAdmitted conversion asOfPosition bySection { section seatsTotal seatsSold revenue }';
const DASHBOARD = `query D($s: ID!) { salesDashboard(scheduleId: $s) { ${FIELDS} } }`;

interface Dashboard {
  scheduleId: string;
  seatsTotal: number;
  seatsAvailable: number;
  seatsHeld: number;
  seatsSold: number;
  revenue: number;
  bookingsConfirmed: number;
  fansAdmitted: number;
  conversion: number;
  asOfPosition: string;
  bySection: Array<{ section: string; seatsTotal: number; seatsSold: number; revenue: number }>;
}

let admin: string;
let scheduleId: string;
let vip: string;
let floor: string;

beforeAll(async () => {
  admin = await logInAdmin();
  const schedule = await createCatalogSchedule(admin, {
    opensAt: new Date(Date.now() - 60_000),
    sections: [
      { section: 'VIP', rows: ['A'], seatsPerRow: 2, price: 200_000 },
      { section: 'R', rows: ['A', 'B'], seatsPerRow: 3, price: 100_000 },
    ],
  });
  scheduleId = schedule.scheduleId;
  vip = schedule.seats.find((seat) => seat.section === 'VIP')!.id;
  floor = schedule.seats.find((seat) => seat.section === 'R')!.id;
  await admitFreely(scheduleId);
});

afterAll(async () => {
  await closeClients();
  await closeDatabases();
});

const dashboardOf = (token: string, id = scheduleId) => gql<{ salesDashboard: Dashboard }>(DASHBOARD, { s: id }, { token });

describe('salesDashboard and salesUpdated', () => {
  it('given an admin watching, when a fan buys a VIP and an R seat, then the pushes end with both seats sold and the revenue split by section', async () => {
    // The schedule's dashboard starts once its ScheduleCreated and SeatsAdded are archived and projected.
    const initial = await eventually(async () => {
      const read = await dashboardOf(admin);
      return read.data?.salesDashboard.seatsTotal === 8 ? read.data.salesDashboard : undefined;
    }, 60_000, 'the new schedule on its dashboard');
    expect(initial).toMatchObject({ scheduleId, seatsAvailable: 8, seatsSold: 0, revenue: 0, conversion: 0 });

    const updates = connect(admin).iterate<{ salesUpdated: Dashboard }>({ query: `subscription S($s: ID!) { salesUpdated(scheduleId: $s) { ${FIELDS} } }`, variables: { s: scheduleId } });
    const first = await nextOf(updates, 'the dashboard now');
    expect(first.errors).toBeUndefined();
    expect(first.data?.salesUpdated.asOfPosition).toBe(initial.asOfPosition);

    const fan = await admittedFan(scheduleId);
    await chargeWallet(fan, 300_000);
    const held = await holdSeats(fan, scheduleId, [vip, floor]);
    if (!held.booking) throw new Error(`hold failed: ${JSON.stringify(held.response.errors)}`);
    expect((await payBooking(fan, held.booking.id)).code).toBeUndefined();
    await bookingReaches(fan, held.booking.id, ['CONFIRMED']);

    let latest = first.data!.salesUpdated;
    const positions = [Number(latest.asOfPosition)];
    while (latest.seatsSold < 2) {
      const pushed = await nextOf(updates, 'a dashboard with the sale', 60);
      expect(pushed.errors).toBeUndefined();
      latest = pushed.data!.salesUpdated;
      positions.push(Number(latest.asOfPosition));
    }
    await updates.return?.();

    // Every push moved forward, and the last one tells the whole sale.
    expect(positions.every((position, i) => i === 0 || position > positions[i - 1]!)).toBe(true);
    expect(latest).toMatchObject({ seatsTotal: 8, seatsHeld: 0, seatsSold: 2, seatsAvailable: 6, revenue: 300_000, bookingsConfirmed: 1, fansAdmitted: 1, conversion: 1 });
    expect(latest.bySection).toEqual([
      { section: 'R', seatsTotal: 6, seatsSold: 1, revenue: 100_000 },
      { section: 'VIP', seatsTotal: 2, seatsSold: 1, revenue: 200_000 },
    ]);
  });

  it('given a fan, then the dashboard and its subscription are FORBIDDEN', async () => {
    const fan = await signUpFan();
    expect(errorCode(await dashboardOf(fan.token))).toBe('FORBIDDEN');

    const updates = connect(fan.token).iterate({ query: 'subscription S($s: ID!) { salesUpdated(scheduleId: $s) { seatsSold } }', variables: { s: scheduleId } });
    const refused: { data?: unknown; errors?: ReadonlyArray<{ extensions?: { code?: string } }> } = await nextOf(updates, 'the refusal');
    expect(refused.data ?? null).toBeNull();
    expect(errorCode({ status: 200, errors: refused.errors as never })).toBe('FORBIDDEN');
    await expectEnded(updates);
  });

  it('given a schedule with nothing archived, or an id that is no schedule, then it is NOT_FOUND', async () => {
    expect(errorCode(await dashboardOf(admin, '00000000-0000-4000-8000-000000000000'))).toBe('NOT_FOUND');
    expect(errorCode(await dashboardOf(admin, 'not-an-id'))).toBe('NOT_FOUND');
  });
});
