import { closeDatabases, gql, logInAdmin } from '@ticketing/test-support';
import {
  closeRedisClients,
  createSchedule,
  enter,
  eventually,
  listenToProgress,
  setPolicy,
  signUpFans,
  statsOf,
  ticketOf,
  type Ticket,
} from './queue-test-kit';

let admin: string;
beforeAll(async () => {
  admin = await logInAdmin();
});
afterAll(async () => {
  closeRedisClients();
  await closeDatabases();
});

/** Spearman's rank correlation of two permutations of 1..n: 1 for the same order, ~0 for unrelated ones. */
function spearman(a: number[], b: number[]): number {
  const n = a.length;
  const sumSquares = a.reduce((sum, value, i) => sum + (value - b[i]!) ** 2, 0);
  return 1 - (6 * sumSquares) / (n * (n * n - 1));
}

describe('fair start: the pre-queue is drawn in random order at opening', () => {
  it('given 200 fans arriving one by one before opening, then their numbers are a random permutation, and later arrivals queue behind them in order', async () => {
    const early = await signUpFans(200);
    const late = await signUpFans(5);
    // An hour ahead: the admin opens the sale once all 200 are in (no race with the clock).
    const scheduleId = await createSchedule(new Date(Date.now() + 3_600_000));
    await setPolicy(admin, scheduleId, { paused: true });
    const progress = await listenToProgress(scheduleId);

    const entered: Ticket[] = [];
    for (const fan of early) entered.push(await enter(fan, scheduleId));
    for (const ticket of entered) expect(ticket).toMatchObject({ status: 'WAITING', queueNumber: null, position: null });
    expect(await statsOf(admin, scheduleId)).toMatchObject({ preQueue: 200, waiting: 0 });
    expect(progress.messages.some((message) => message.preQueue)).toBe(true);

    // openSales brings the opening to now; the queue learns it from the catalog's SalesOpened.
    const opened = await gql('mutation O($id: ID!) { openSales(scheduleId: $id) { bookingOpensAt } }', { id: scheduleId }, { token: admin });
    expect(opened.errors).toBeUndefined();
    await eventually(async () => ((await statsOf(admin, scheduleId)).preQueue === 0 ? true : undefined), 30_000, 'the opening draw');
    const lateTickets: Ticket[] = [];
    for (const fan of late) lateTickets.push(await enter(fan, scheduleId));

    const drawn = await Promise.all(early.map((fan, i) => ticketOf(fan, entered[i]!.token)));
    const numbers = drawn.map((ticket) => ticket.queueNumber!);
    expect([...numbers].sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    for (const ticket of drawn) expect(ticket.position).toBe(ticket.queueNumber);
    // Arrival order 1..200 against the drawn numbers. For a uniformly random permutation of 200
    // the correlation has a standard deviation of about 0.07: 0.5 is seven of them away, while
    // numbering in arrival order (no shuffle) gives exactly 1.
    const rho = spearman(Array.from({ length: 200 }, (_, i) => i + 1), numbers);
    expect(Math.abs(rho)).toBeLessThan(0.5);
    // Nobody is drawn first for having come first.
    expect(numbers.slice(0, 10)).not.toEqual(Array.from({ length: 10 }, (_, i) => i + 1));

    expect(lateTickets.map((ticket) => ticket.queueNumber)).toEqual([201, 202, 203, 204, 205]);
    expect(lateTickets.map((ticket) => ticket.position)).toEqual([201, 202, 203, 204, 205]);

    await eventually(async () => (progress.messages.some((message) => !message.preQueue) ? true : undefined), 5_000, 'an opened broadcast');
    expect(progress.malformed).toEqual([]);
    progress.close();
  });
});
