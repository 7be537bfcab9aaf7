import { randomUUID } from 'node:crypto';
import {
  admit,
  admitFreely,
  bookingReaches,
  chargeWallet,
  closeDatabases,
  createCatalogSchedule,
  errorCode,
  gql,
  holdSeats,
  logInAdmin,
  payBooking,
  signUpFan,
} from '@ticketing/test-support';
import { waitingRoomKeys } from '../src/adapters/redis/redis-waiting-room';
import { closeRedisClients, ENTER_QUEUE, enter, env, eventually, listenToProgress, redisWithPrefix, setPolicy, signUpFans, ticketOf, type Ticket } from './queue-test-kit';

/*
 * The waiting room follows the catalog's sale of a schedule, learnt from its events on Kafka
 * (the queue's `sale-window` consumer): an admin's closeSales stops arrivals, admissions and
 * holds until openSales, and a bookingOpensAt moved by updateSchedule moves the opening draw
 * of fans already in the pre-queue. Real services throughout: concert, queue, booking, payment.
 */

jest.setTimeout(120_000);

const DAY = 24 * 3600_000;
let admin: string;
beforeAll(async () => {
  admin = await logInAdmin();
});
afterAll(async () => {
  closeRedisClients();
  await closeDatabases();
});

async function adminCall(query: string, variables: Record<string, unknown>) {
  const response = await gql<Record<string, unknown>>(query, variables, { token: admin });
  if (response.errors) throw new Error(`${query} failed: ${JSON.stringify(response.errors)}`);
  return response.data!;
}
const closeSales = (scheduleId: string, reason: string) =>
  adminCall('mutation Close($id: ID!, $reason: String!) { closeSales(scheduleId: $id, reason: $reason) { salesClosedAt } }', { id: scheduleId, reason });
const openSales = (scheduleId: string) => adminCall('mutation Open($id: ID!) { openSales(scheduleId: $id) { salesClosedAt } }', { id: scheduleId });

/** Waits until the queue has applied the catalog's close (true) or open (false) to the schedule's waiting room. */
const queueSeesSalesClosed = (scheduleId: string, closed: boolean) =>
  eventually(
    async () => (await redisWithPrefix().hget(waitingRoomKeys(scheduleId).meta, 'salesClosed')) === (closed ? '1' : '0'),
    30_000,
    `the queue to see sales ${closed ? 'closed' : 'open'}`,
  );

/** The waiting room's clock (Redis TIME), in ms. */
async function redisNow(): Promise<number> {
  const [seconds, micros] = await redisWithPrefix().time();
  return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
}

describe('closing and reopening a schedule’s sales', () => {
  it('given fans admitted, holding and waiting, when an admin closes sales, then arrivals, admissions and holds stop while the held booking is paid; reopened, they resume', async () => {
    const schedule = await createCatalogSchedule(admin, {
      opensAt: new Date(Date.now() - 60_000),
      sections: [{ section: 'A', rows: ['1'], seatsPerRow: 4, price: 10_000 }],
    });
    const id = schedule.scheduleId;
    const [seat0, seat1] = schedule.seats.map((seat) => seat.id);
    // Two fans may shop at once: the third waits in line.
    await admitFreely(id, 1_000, 2);
    const payer = await admit(await signUpFan(), id);
    const shopper = await admit(await signUpFan(), id);
    const held = await holdSeats(payer, id, [seat0!]);
    expect(held.code).toBeUndefined();
    const waiter = await signUpFan();
    const waiting = await enter(waiter, id);
    expect(waiting).toMatchObject({ status: 'WAITING', position: 1 });

    await closeSales(id, 'the stage is not safe');
    await queueSeesSalesClosed(id, true);

    // No new arrivals; a fan already in line keeps their ticket.
    const refused = await gql(ENTER_QUEUE, { scheduleId: id }, { token: (await signUpFan()).token });
    expect([errorCode(refused), refused.errors?.[0]?.extensions?.['reason']]).toEqual(['INVALID_STATE', 'SALES_CLOSED']);
    expect(await enter(waiter, id)).toMatchObject({ token: waiting.token, status: 'WAITING', queueNumber: waiting.queueNumber, estimatedWaitSeconds: null });

    // Lifting the cap would admit the waiter at the next step; closed, the steps after it admit nobody.
    const progress = await listenToProgress(id);
    await setPolicy(admin, id, { maxActive: 100 });
    const policyAppliedAt = await redisNow();
    const later = await eventually(async () => {
      const steps = progress.messages.filter((message) => new Date(message.at).getTime() > policyAppliedAt);
      return steps.length >= 2 ? steps : undefined;
    }, 30_000, 'two admission steps after the policy change');
    expect(later.every((message) => message.admitted.length === 0 && message.paused)).toBe(true);
    expect((await ticketOf(waiter, waiting.token)).status).toBe('WAITING');

    // An admitted fan cannot hold once booking has heard (it asks the catalog at most every second):
    // probed with a seat that is no seat (BAD_USER_INPUT while open, nothing written either way).
    await eventually(async () => (await holdSeats(shopper, id, [randomUUID()])).code === 'INVALID_STATE', 30_000, 'booking to see sales closed');
    const refusedHold = await holdSeats(shopper, id, [seat1!]);
    expect([refusedHold.code, refusedHold.response.errors?.[0]?.extensions?.['reason']]).toEqual(['INVALID_STATE', 'SALES_CLOSED']);
    // The hold made before the close is paid as usual.
    await chargeWallet(payer, 10_000);
    const paying = await payBooking(payer, held.booking!.id);
    expect(paying.code).toBeUndefined();
    expect((await bookingReaches(payer, held.booking!.id, ['CONFIRMED', 'CANCELLED'])).status).toBe('CONFIRMED');

    await openSales(id);
    await queueSeesSalesClosed(id, false);

    await eventually(async () => ((await ticketOf(waiter, waiting.token)).status === 'ACTIVE' ? true : undefined), 30_000, 'the waiter admitted');
    expect((await enter(await signUpFan(), id)).status).toMatch(/WAITING|ACTIVE/);
    // Booking asks the catalog about closed sales at most every second: the hold goes through soon.
    const reopenedHold = await eventually(async () => {
      const attempt = await holdSeats(shopper, id, [seat1!]);
      if (attempt.code === 'INVALID_STATE') return undefined;
      return attempt;
    }, 30_000, 'a hold after reopening');
    expect(reopenedHold.code).toBeUndefined();
    expect(reopenedHold.booking?.status).toBe('HELD');
    progress.close();
  });

  it('given sales closed before anyone queued, then the first fan is refused SALES_CLOSED; reopened, they enter', async () => {
    const schedule = await createCatalogSchedule(admin, { opensAt: new Date(Date.now() - 60_000), sections: [{ section: 'A', rows: ['1'], seatsPerRow: 1, price: 1_000 }] });
    await closeSales(schedule.scheduleId, 'artist delayed');
    await queueSeesSalesClosed(schedule.scheduleId, true);
    const fan = await signUpFan();

    expect(errorCode(await gql(ENTER_QUEUE, { scheduleId: schedule.scheduleId }, { token: fan.token }))).toBe('INVALID_STATE');
    await openSales(schedule.scheduleId);
    await queueSeesSalesClosed(schedule.scheduleId, false);
    expect((await enter(fan, schedule.scheduleId)).status).toMatch(/WAITING|ACTIVE/);
  });
});

describe('moving the opening of a schedule fans are waiting for', () => {
  it('given fans in the pre-queue of a sale opening in two days, when an admin moves bookingOpensAt to in two seconds, then the line opens and admits them from that instant', async () => {
    const schedule = await createCatalogSchedule(admin, { opensAt: new Date(Date.now() + 2 * DAY), sections: [{ section: 'A', rows: ['1'], seatsPerRow: 5, price: 1_000 }] });
    const id = schedule.scheduleId;
    await admitFreely(id);
    const fans = await signUpFans(5);
    const tickets: Ticket[] = [];
    for (const fan of fans) tickets.push(await enter(fan, id));
    for (const ticket of tickets) expect(ticket).toMatchObject({ status: 'WAITING', queueNumber: null });

    // Nobody enters after this: the waiting room can only learn the new time from the catalog's event.
    const opensAt = new Date(Math.ceil((Date.now() + 2_000) / 1000) * 1000);
    await adminCall('mutation U($id: ID!, $input: UpdateScheduleInput!) { updateSchedule(id: $id, input: $input) { id } }', {
      id,
      input: { bookingOpensAt: opensAt.toISOString() },
    });

    const admitted = await eventually(async () => {
      const now = await Promise.all(fans.map((fan, i) => ticketOf(fan, tickets[i]!.token)));
      return now.every((ticket) => ticket.status === 'ACTIVE') ? now : undefined;
    }, 60_000, 'the pre-queue drawn and admitted');
    const ttlMs = Number(env()['QUEUE_ACTIVE_TTL_SECONDS'] ?? 600) * 1000;
    expect(admitted.map((ticket) => ticket.queueNumber).sort()).toEqual([1, 2, 3, 4, 5]);
    for (const ticket of admitted) {
      expect(ticket.opensAt).toBe(opensAt.toISOString());
      // admittedAt = expiresAt - TTL, by the waiting room's clock: not before the new opening.
      expect(new Date(ticket.expiresAt!).getTime() - ttlMs).toBeGreaterThanOrEqual(opensAt.getTime());
    }
  });
});
