import { randomUUID } from 'node:crypto';
import { closeDatabases, errorCode, gql, logInAdmin, signUpFan } from '@ticketing/test-support';
import { createSchedule, enter, ENTER_QUEUE, openSchedule, setPolicy, signUpFans, statsOf, ticketOf } from './queue-test-kit';

let admin: string;
beforeAll(async () => {
  admin = await logInAdmin();
});
afterAll(closeDatabases);

describe('enterQueue through the gateway', () => {
  it('given 1,000 fans entering at once, then each gets their own ticket and 1,000 distinct places in line', async () => {
    let started = Date.now();
    const fans = await signUpFans(1_000);
    console.warn(`signed up 1,000 fans in ${Date.now() - started} ms`);
    const scheduleId = await openSchedule();
    // Paused, so nobody is admitted while we look: queue numbers and positions stay comparable.
    await setPolicy(admin, scheduleId, { paused: true });

    started = Date.now();
    const tickets = await Promise.all(fans.map((fan) => enter(fan, scheduleId)));
    console.warn(`1,000 concurrent enters in ${Date.now() - started} ms`);

    expect(new Set(tickets.map((t) => t.token)).size).toBe(1_000);
    expect(tickets.map((t) => t.queueNumber).sort((a, b) => a! - b!)).toEqual(Array.from({ length: 1_000 }, (_, i) => i + 1));
    expect(new Set(tickets.map((t) => t.position)).size).toBe(1_000);
    for (const ticket of tickets) {
      expect(ticket).toMatchObject({ scheduleId, status: 'WAITING', nowServing: 0, expiresAt: null, estimatedWaitSeconds: null });
      expect(ticket.position).toBe(ticket.queueNumber);
    }
    expect(await statsOf(admin, scheduleId)).toMatchObject({ waiting: 1_000, preQueue: 0, active: 0, admitted: 0, paused: true });

    // And the live reading agrees with what entering answered.
    const fan = fans[417]!;
    const again = await ticketOf(fan, tickets[417]!.token);
    expect(again).toEqual(tickets[417]);
  });

  it('given one fan entering 50 times at once (tabs, retries), then there is one ticket and one place in line', async () => {
    const fan = await signUpFan();
    const scheduleId = await openSchedule();
    await setPolicy(admin, scheduleId, { paused: true });

    const tickets = await Promise.all(Array.from({ length: 50 }, () => enter(fan, scheduleId)));

    expect(new Set(tickets.map((t) => t.token))).toEqual(new Set([tickets[0]!.token]));
    expect(new Set(tickets.map((t) => t.queueNumber))).toEqual(new Set([1]));
    expect(await statsOf(admin, scheduleId)).toMatchObject({ waiting: 1, preQueue: 0 });
    // Later calls still answer the same ticket.
    expect((await enter(fan, scheduleId)).token).toBe(tickets[0]!.token);
  });

  it('keeps entering idempotent in the pre-queue too, and tells the fan when the line opens', async () => {
    const fan = await signUpFan();
    const opensAt = new Date(Date.now() + 60 * 60_000);
    const scheduleId = await createSchedule(opensAt);

    const tickets = await Promise.all(Array.from({ length: 20 }, () => enter(fan, scheduleId)));

    expect(new Set(tickets.map((t) => t.token)).size).toBe(1);
    expect(tickets[0]).toMatchObject({ status: 'WAITING', queueNumber: null, position: null, estimatedWaitSeconds: null, nowServing: 0 });
    expect(Date.parse(tickets[0]!.opensAt!)).toBe(opensAt.getTime());
    expect(await statsOf(admin, scheduleId)).toMatchObject({ waiting: 0, preQueue: 1 });
  });

  it('refuses an unknown schedule with NOT_FOUND and a malformed id with BAD_USER_INPUT', async () => {
    const fan = await signUpFan();
    expect(errorCode(await gql(ENTER_QUEUE, { scheduleId: randomUUID() }, { token: fan.token }))).toBe('NOT_FOUND');
    expect(errorCode(await gql(ENTER_QUEUE, { scheduleId: 'schedule-1' }, { token: fan.token }))).toBe('BAD_USER_INPUT');
  });

  it('refuses anonymous callers with UNAUTHENTICATED', async () => {
    const scheduleId = await openSchedule();
    expect(errorCode(await gql(ENTER_QUEUE, { scheduleId }))).toBe('UNAUTHENTICATED');
    expect(await statsOf(admin, scheduleId)).toMatchObject({ waiting: 0, preQueue: 0 });
  });
});
