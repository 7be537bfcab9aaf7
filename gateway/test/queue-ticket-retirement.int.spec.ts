import { realtimeChannels, type QueueTicketChanged } from '@ticketing/contracts';
import {
  addSeats,
  admitFreely,
  admittedFan,
  bookingReaches,
  chargeWallet,
  closeDatabases,
  gql,
  holdSeats,
  logInAdmin,
  openSchedule,
  payBooking,
  signUpFan,
  type AdmittedFan,
} from '@ticketing/test-support';
import { closeClients, connect, expectEnded, nextOf, publish, redisPrefix } from './subscription-client';

const SUBSCRIBE = 'subscription Ticket($token: String!) { queueTicketUpdated(token: $token) { status queueNumber expiresAt } }';

interface Ticket {
  queueTicketUpdated: { status: string; queueNumber: number | null; expiresAt: string | null };
}

/** Far from the queue's ACTIVE TTL in the test system (10 minutes): whatever ends the ticket sooner is the retirement. */
const TIMER_MARGIN_MS = 5 * 60_000;

const follow = (fan: AdmittedFan) => connect(fan.token).iterate<Ticket>({ query: SUBSCRIBE, variables: { token: fan.queueToken } });

/** A schedule with seats that admits at once, and a fan with the money to buy them. */
async function shopper(scheduleId: string, fan: AdmittedFan): Promise<string[]> {
  await chargeWallet(fan, 100_000);
  return addSeats(scheduleId, 1, 40_000);
}

/** Holds and pays for real: booking confirms through the saga, and the queue retires the ticket that admitted it. */
async function buy(fan: AdmittedFan, scheduleId: string, seatIds: readonly string[]): Promise<void> {
  const { booking, response } = await holdSeats(fan, scheduleId, seatIds);
  if (!booking) throw new Error(`holdSeats failed: ${JSON.stringify(response.errors)}`);
  const paid = await payBooking(fan, booking.id);
  expect(paid.code).toBeUndefined();
  await bookingReaches(fan, booking.id, ['CONFIRMED']);
}

/** The next push is the queue's retired ticket: EXPIRED from the moment of the purchase, not at the end of its TTL. */
async function expectRetired(updates: AsyncIterator<{ data?: Ticket | null }>, active: Ticket['queueTicketUpdated'], boughtFrom: number) {
  const retired = await nextOf(updates, 'the retirement', 30);
  expect(retired.data?.queueTicketUpdated).toMatchObject({ status: 'EXPIRED', queueNumber: active.queueNumber });
  const expiredAt = Date.parse(retired.data!.queueTicketUpdated.expiresAt!);
  expect(expiredAt).toBeGreaterThanOrEqual(boughtFrom - 1_000);
  expect(expiredAt).toBeLessThanOrEqual(Date.now());
  expect(Date.now()).toBeLessThan(Date.parse(active.expiresAt!) - TIMER_MARGIN_MS);
  await expectEnded(updates);
}

afterAll(async () => {
  await closeClients();
  await closeDatabases();
});

describe('queueTicketUpdated when a confirmed booking retires the ticket', () => {
  it('pushes the ACTIVE ticket EXPIRED as soon as the queue retires it, long before its expiry, and ends', async () => {
    const scheduleId = await openSchedule();
    await admitFreely(scheduleId);
    const fan = await admittedFan(scheduleId);
    const seatIds = await shopper(scheduleId, fan);
    const updates = follow(fan);
    const active = (await nextOf(updates, 'the ACTIVE ticket')).data!.queueTicketUpdated;
    expect(active.status).toBe('ACTIVE');
    expect(Date.parse(active.expiresAt!)).toBeGreaterThan(Date.now() + TIMER_MARGIN_MS);

    const boughtFrom = Date.now();
    await buy(fan, scheduleId, seatIds);

    await expectRetired(updates, active, boughtFrom);
  });

  it('follows a ticket from WAITING through its admission to its retirement', async () => {
    const scheduleId = await openSchedule();
    await admitFreely(scheduleId);
    const admin = await logInAdmin();
    await gql('mutation($s: ID!) { pauseQueue(scheduleId: $s) { paused } }', { s: scheduleId }, { token: admin });
    const signedUp = await signUpFan();
    const entered = await gql<{ enterQueue: { token: string } }>('mutation($s: ID!) { enterQueue(scheduleId: $s) { token } }', { s: scheduleId }, { token: signedUp.token });
    const fan: AdmittedFan = { ...signedUp, queueToken: entered.data!.enterQueue.token };
    const seatIds = await shopper(scheduleId, fan);
    const updates = follow(fan);
    expect((await nextOf(updates, 'the WAITING ticket')).data?.queueTicketUpdated.status).toBe('WAITING');

    await gql('mutation($s: ID!) { resumeQueue(scheduleId: $s) { paused } }', { s: scheduleId }, { token: admin });
    let active = (await nextOf(updates, 'the admission')).data!.queueTicketUpdated;
    while (active.status === 'WAITING') active = (await nextOf(updates, 'the admission')).data!.queueTicketUpdated;
    expect(active.status).toBe('ACTIVE');

    const boughtFrom = Date.now();
    await buy(fan, scheduleId, seatIds);

    // A second ACTIVE push may come from the read after admission (a newer nowServing); the retirement follows it.
    let next = await nextOf(updates, 'the retirement', 30);
    while (next.data?.queueTicketUpdated.status === 'ACTIVE') next = await nextOf(updates, 'the retirement', 30);
    expect(next.data?.queueTicketUpdated).toMatchObject({ status: 'EXPIRED', queueNumber: active.queueNumber });
    expect(Date.parse(next.data!.queueTicketUpdated.expiresAt!)).toBeGreaterThanOrEqual(boughtFrom - 1_000);
    expect(Date.now()).toBeLessThan(Date.parse(active.expiresAt!) - TIMER_MARGIN_MS);
    await expectEnded(updates);
  });

  it('takes a message for a hint: malformed ones, other fans’ numbers and an unfounded one of its own push nothing', async () => {
    const scheduleId = await openSchedule();
    await admitFreely(scheduleId);
    const fan = await admittedFan(scheduleId);
    const seatIds = await shopper(scheduleId, fan);
    const updates = follow(fan);
    const active = (await nextOf(updates, 'the ACTIVE ticket')).data!.queueTicketUpdated;
    expect(active.status).toBe('ACTIVE');

    const channel = realtimeChannels.queueTicket(redisPrefix(), scheduleId);
    const retired = (queueNumber: number): QueueTicketChanged => ({
      scheduleId,
      ticketId: 'not-checked-here',
      queueNumber,
      change: 'RETIRED',
      status: 'EXPIRED',
      at: new Date(Date.now() - 3_600_000).toISOString(),
    });
    await publish(channel, 'not json {');
    await publish(channel, { ...retired(active.queueNumber!), change: 'TELEPORTED' });
    await publish(channel, retired(active.queueNumber! + 1));
    // Its own number, but the queue has not retired it: the re-read says ACTIVE, as pushed already.
    await publish(channel, retired(active.queueNumber!));

    const boughtFrom = Date.now();
    await buy(fan, scheduleId, seatIds);

    // Had any of the above pushed (or been taken for the state, an hour old), it would come before this.
    await expectRetired(updates, active, boughtFrom);
  });
});
