import { closeDatabases, gql, logInAdmin } from '@ticketing/test-support';
import {
  closeRedisClients,
  data,
  enter,
  eventually,
  listenToProgress,
  openSchedule,
  PAUSE_QUEUE,
  RESUME_QUEUE,
  setPolicy,
  signUpFans,
  sleep,
  startQueueProcess,
  statsOf,
  ticketOf,
  type ExtraQueueProcess,
  type Stats,
  type Ticket,
} from './queue-test-kit';

jest.setTimeout(90_000);

const FANS = 100;
const RATE = 20;
// Large enough that one uninterrupted run of admissions (about 50) lasts seconds: at twice the
// rate it would break the window bound below, despite that bound's one-second burst allowance.
const CAP = 60;
const RAISED_CAP = 75;

let admin: string;
let second: ExtraQueueProcess;
/** Background readers stop here too, so a failed assertion never leaves them polling. */
let watching = false;
beforeAll(async () => {
  admin = await logInAdmin();
  // The harness runs one queue process; a second one ticks the same Redis, as in production.
  second = await startQueueProcess('queue-2');
});
afterAll(async () => {
  watching = false;
  closeRedisClients();
  await second?.stop();
  await closeDatabases();
});

describe('admission with two queue processes ticking at once', () => {
  it('never admits faster than the rate, above the cap or twice; pause stops it, resume restarts it; positions only move forward', async () => {
    const fans = await signUpFans(FANS);
    const scheduleId = await openSchedule();
    await setPolicy(admin, scheduleId, { admitsPerSecond: RATE, maxActive: CAP, paused: true });
    const progress = await listenToProgress(scheduleId);
    // Half the fans enter through the gateway (the harness's queue process), half through the second process.
    const tickets = await Promise.all(fans.map((fan, i) => enter(fan, scheduleId, i % 2 ? second.graphqlUrl : undefined)));
    expect(tickets.map((t) => t.queueNumber).sort((a, b) => a! - b!)).toEqual(Array.from({ length: FANS }, (_, i) => i + 1));

    // Watch the room the whole time: admin stats and one waiting fan's ticket, read from both processes.
    const samples: Stats[] = [];
    const lastFan = tickets.findIndex((t) => t.queueNumber === FANS);
    const readings: Ticket[] = [];
    watching = true;
    const watcher = (async () => {
      for (let i = 0; watching; i++) {
        const [stats, ticket] = await Promise.all([
          statsOf(admin, scheduleId),
          ticketOf(fans[lastFan]!, tickets[lastFan]!.token, i % 2 ? second.graphqlUrl : undefined),
        ]);
        samples.push(stats);
        readings.push(ticket);
        await sleep(50);
      }
    })();

    // Paused: nobody is admitted, whatever the ticks.
    await sleep(500);
    expect((await statsOf(admin, scheduleId)).admitted).toBe(0);

    data(await gql(RESUME_QUEUE, { scheduleId }, { token: admin }));
    await eventually(async () => ((await statsOf(admin, scheduleId)).admitted >= 10 ? true : undefined), 10_000, '10 admissions');
    data(await gql(PAUSE_QUEUE, { scheduleId }, { token: admin }));
    // Steps run one at a time in Redis: once pause has answered, no later step admits anyone.
    const atPause = (await statsOf(admin, scheduleId)).admitted;
    await sleep(1_000);
    expect((await statsOf(admin, scheduleId)).admitted).toBe(atPause);
    expect(atPause).toBeLessThan(CAP);

    data(await gql(RESUME_QUEUE, { scheduleId }, { token: admin }));
    await eventually(async () => ((await statsOf(admin, scheduleId)).admitted === CAP ? true : undefined), 10_000, 'the cap');
    // Full: nobody expires for ten minutes, so nobody else gets in.
    await sleep(1_000);
    expect(await statsOf(admin, scheduleId)).toMatchObject({ admitted: CAP, active: CAP, waiting: FANS - CAP });
    // A cap lowered below the ACTIVE count admits nobody and evicts nobody.
    await setPolicy(admin, scheduleId, { maxActive: 10 });
    await sleep(500);
    expect(await statsOf(admin, scheduleId)).toMatchObject({ admitted: CAP, active: CAP, maxActive: 10 });
    const samplesBeforeRaise = samples.length;

    await setPolicy(admin, scheduleId, { maxActive: RAISED_CAP });
    await eventually(async () => ((await statsOf(admin, scheduleId)).admitted === RAISED_CAP ? true : undefined), 10_000, 'the raised cap');
    await sleep(500);
    watching = false;
    await watcher;
    progress.close();

    // Every admission was broadcast exactly once, lowest numbers first, and none twice.
    expect(progress.malformed).toEqual([]);
    const admissions = progress.messages.flatMap((message) => message.admitted.map((entry) => ({ ...entry, at: Date.parse(message.at) })));
    expect(admissions).toHaveLength(RAISED_CAP);
    expect(new Set(admissions.map((a) => a.ticketId)).size).toBe(RAISED_CAP);
    expect(admissions.map((a) => a.queueNumber).sort((a, b) => a - b)).toEqual(Array.from({ length: RAISED_CAP }, (_, i) => i + 1));
    expect(progress.messages.every((message) => message.expired.length === 0)).toBe(true);

    // The rate, over every window between two admission steps: at most rate * T + one second's burst.
    const times = admissions.map((a) => a.at).sort((a, b) => a - b);
    for (let i = 0; i < times.length; i++) {
      for (let j = i; j < times.length; j++) {
        const admittedInWindow = j - i + 1 + times.slice(j + 1).filter((t) => t === times[j]).length;
        expect(admittedInWindow).toBeLessThanOrEqual(RATE * ((times[j]! - times[i]!) / 1000) + RATE);
      }
    }

    // The cap, as the admin saw it and as the broadcasts tell it.
    expect(samples.slice(0, samplesBeforeRaise).every((s) => s.active <= CAP)).toBe(true);
    expect(samples.every((s) => s.active <= RAISED_CAP && s.active === s.admitted)).toBe(true);

    // The watched fan (the last number) never moved back and always had an ETA while the line moved.
    const positions = readings.map((ticket) => ticket.position!);
    expect(readings.every((ticket) => ticket.status === 'WAITING')).toBe(true);
    for (let i = 1; i < positions.length; i++) expect(positions[i]).toBeLessThanOrEqual(positions[i - 1]!);
    expect(positions[0]).toBe(FANS);
    expect(positions.at(-1)).toBe(FANS - RAISED_CAP);
    expect(readings.filter((ticket) => ticket.estimatedWaitSeconds === null).length).toBeGreaterThan(0);
    expect(readings.filter((ticket) => ticket.estimatedWaitSeconds !== null).length).toBeGreaterThan(0);

    // Admitted fans see it on their ticket.
    const first = tickets.findIndex((t) => t.queueNumber === 1);
    expect(await ticketOf(fans[first]!, tickets[first]!.token)).toMatchObject({ status: 'ACTIVE', position: null });
  });
});
