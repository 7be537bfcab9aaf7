import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRedis } from '@ticketing/platform';
import {
  closeDatabases,
  createSchedule,
  errorCode,
  eventually,
  freePort,
  gql,
  logInAdmin,
  openSchedule,
  signUpFan,
  sql,
  startIsolatedSystem,
  stopIsolatedSystem,
  useTestSystem,
  type IsolatedSystem,
  type SignedUpFan,
} from '@ticketing/test-support';

/**
 * The waiting room survives Redis dying (issue 13, ADR 0011). The whole system runs against a
 * Redis of its own, which the test kills with SIGKILL and starts again: once from its
 * append-only file (what a crash leaves), once empty (what losing the machine leaves, and a
 * superset of what the file's last second can lose). Either way every fan keeps their ticket,
 * their number and their admission, and no number is given twice.
 */

interface Ticket {
  token: string;
  status: 'WAITING' | 'ACTIVE' | 'EXPIRED';
  queueNumber: number | null;
  expiresAt: string | null;
  nowServing: number;
}
const TICKET_FIELDS = 'token status queueNumber expiresAt nowServing';

let system: IsolatedSystem;
let redisPort: number;
let redisDir: string;
let redis: ChildProcess | undefined;
let admin: string;

async function startRedis(): Promise<void> {
  const child = spawn(
    'redis-server',
    ['--port', String(redisPort), '--bind', '127.0.0.1', '--dir', redisDir, '--appendonly', 'yes', '--appendfsync', 'everysec', '--save', ''],
    { stdio: 'ignore' },
  );
  redis = child;
  const client = createRedis(`redis://127.0.0.1:${redisPort}`, '', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await eventually(async () => (await client.connect().then(() => client.ping(), () => undefined)) === 'PONG', 10_000, 'the test Redis answering PING');
  } finally {
    client.disconnect();
  }
}

/** SIGKILL: no shutdown, no last fsync; what the append-only file has is what comes back. */
async function killRedis(options: { loseEverything: boolean }): Promise<void> {
  const child = redis!;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
  redis = undefined;
  if (options.loseEverything) {
    rmSync(redisDir, { recursive: true, force: true });
    redisDir = mkdtempSync(path.join(tmpdir(), 'redis-crash-'));
  }
}

const enterQueue = async (fan: SignedUpFan, scheduleId: string): Promise<Ticket> => {
  const response = await gql<{ enterQueue: Ticket }>(`mutation ($id: ID!) { enterQueue(scheduleId: $id) { ${TICKET_FIELDS} } }`, { id: scheduleId }, { token: fan.token });
  if (!response.data) throw new Error(`enterQueue failed: ${JSON.stringify(response.errors)}`);
  return response.data.enterQueue;
};

/** The fan's ticket; undefined while the waiting room answers "try again" (restoring) or Redis is away. */
const readTicket = async (fan: SignedUpFan, token: string): Promise<Ticket | undefined> => {
  const response = await gql<{ queueTicket: Ticket }>(`query ($token: String!) { queueTicket(token: $token) { ${TICKET_FIELDS} } }`, { token }, { token: fan.token });
  if (response.data?.queueTicket) return response.data.queueTicket;
  // QUEUE_TOKEN_INVALID here would be the bug under test: the fan lost their place.
  if (errorCode(response) === 'QUEUE_TOKEN_INVALID') throw new Error(`the waiting room forgot a ticket: ${JSON.stringify(response.errors)}`);
  return undefined;
};

const stats = async (scheduleId: string) => {
  const response = await gql<{ queueStats: { waiting: number; preQueue: number; active: number; admitted: number } }>(
    'query ($id: ID!) { queueStats(scheduleId: $id) { waiting preQueue active admitted } }',
    { id: scheduleId },
    { token: admin },
  );
  return response.data?.queueStats;
};

const setPolicy = async (scheduleId: string, admitsPerSecond: number, maxActive: number) => {
  const response = await gql('mutation ($id: ID!, $rate: Int, $max: Int) { setQueuePolicy(scheduleId: $id, admitsPerSecond: $rate, maxActive: $max) { maxActive } }', {
    id: scheduleId,
    rate: admitsPerSecond,
    max: maxActive,
  }, { token: admin });
  if (response.errors) throw new Error(`setQueuePolicy failed: ${JSON.stringify(response.errors)}`);
};

/** Every fan's ticket once the waiting room answers again after the restart. */
const ticketsAfterRestart = (fans: ReadonlyArray<{ fan: SignedUpFan; ticket: Ticket }>) =>
  Promise.all(fans.map(({ fan, ticket }) => eventually(() => readTicket(fan, ticket.token), 60_000, 'the ticket readable after the restart')));

beforeAll(async () => {
  redisPort = await freePort();
  redisDir = mkdtempSync(path.join(tmpdir(), 'redis-crash-'));
  await startRedis();
  system = await startIsolatedSystem({ label: 'rediscrash', env: { REDIS_URL: `redis://127.0.0.1:${redisPort}` } });
  useTestSystem(system);
  admin = await logInAdmin();
}, 180_000);

afterAll(async () => {
  await closeDatabases();
  if (system) await stopIsolatedSystem(system);
  redis?.kill('SIGKILL');
  rmSync(redisDir, { recursive: true, force: true });
});

it('given 20 fans in a pre-queue, when Redis is killed and comes back from its append-only file, then every fan keeps their ticket and the opening draw numbers all 20 once', async () => {
  const scheduleId = await createSchedule(new Date(Date.now() + 25_000));
  const fans = await Promise.all(Array.from({ length: 20 }, () => signUpFan()));
  const entered = await Promise.all(fans.map(async (fan) => ({ fan, ticket: await enterQueue(fan, scheduleId) })));
  expect(entered.every(({ ticket }) => ticket.status === 'WAITING' && ticket.queueNumber === null)).toBe(true);
  // appendfsync everysec: what is older than a second is on disk.
  await new Promise((resolve) => setTimeout(resolve, 1_500));

  await killRedis({ loseEverything: false });
  await startRedis();

  const after = await ticketsAfterRestart(entered);
  expect(after.map((ticket) => [ticket.token, ticket.status, ticket.queueNumber])).toEqual(entered.map(({ ticket }) => [ticket.token, 'WAITING', null]));
  // Entering again (another tab) finds the same ticket: the fan → ticket index came back too.
  expect((await enterQueue(fans[0]!, scheduleId)).token).toBe(entered[0]!.ticket.token);

  const drawn = await Promise.all(
    entered.map(({ fan, ticket }) => eventually(async () => (await readTicket(fan, ticket.token))?.queueNumber ?? undefined, 60_000, 'a number from the opening draw')),
  );
  expect([...drawn].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
}, 150_000);

it('given 5 fans admitted and 15 waiting, when Redis is killed and comes back empty, then the admitted stay admitted until the same time, the waiting keep their numbers, and the next fan gets number 21', async () => {
  const scheduleId = await openSchedule();
  await setPolicy(scheduleId, 1_000, 5);
  const entered: Array<{ fan: SignedUpFan; ticket: Ticket }> = [];
  // One after another: the order of arrival is the order of numbers.
  for (const fan of await Promise.all(Array.from({ length: 20 }, () => signUpFan()))) entered.push({ fan, ticket: await enterQueue(fan, scheduleId) });
  await eventually(async () => (await stats(scheduleId))?.active === 5, 30_000, '5 fans admitted');
  const before = await Promise.all(entered.map(({ fan, ticket }) => readTicket(fan, ticket.token)));
  expect(before.map((ticket) => ticket?.status)).toEqual([...Array<string>(5).fill('ACTIVE'), ...Array<string>(15).fill('WAITING')]);
  // The admissions reach the outbox right after their step; give them the moment.
  await new Promise((resolve) => setTimeout(resolve, 1_000));

  await killRedis({ loseEverything: true });
  await startRedis();

  const after = await ticketsAfterRestart(entered);
  expect(after.map(({ token, status, queueNumber, expiresAt }) => ({ token, status, queueNumber, expiresAt }))).toEqual(
    before.map((ticket) => ({ token: ticket!.token, status: ticket!.status, queueNumber: ticket!.queueNumber, expiresAt: ticket!.expiresAt })),
  );
  expect(after.map((ticket) => ticket.queueNumber)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  expect(Math.min(...after.map((ticket) => ticket.nowServing))).toBeGreaterThanOrEqual(5);

  // The policy came back with the room: still 5 at most, so nobody else was let in meanwhile.
  expect(await stats(scheduleId)).toMatchObject({ active: 5, waiting: 15, admitted: 5 });
  const newcomer = await enterQueue(await signUpFan(), scheduleId);
  expect(newcomer.queueNumber).toBe(21);
  expect((await enterQueue(entered[7]!.fan, scheduleId)).token).toBe(entered[7]!.ticket.token);

  // Room for everyone: the 16 waiting are admitted, in order, each once.
  await setPolicy(scheduleId, 1_000, 100);
  await eventually(async () => (await stats(scheduleId))?.active === 21, 30_000, 'all 21 admitted');
  expect(await stats(scheduleId)).toMatchObject({ active: 21, waiting: 0, admitted: 21 });
}, 150_000);

it('after both, every ticket a fan holds is recorded in PostgreSQL with its number, and no number twice', async () => {
  // The durable copy the restores above read from: the 20 + 21 tickets of the two schedules.
  const rows = await sql<{ schedules: string; tickets: string; numbered: string; distinct_numbers: string }>(
    'queue',
    `SELECT count(DISTINCT schedule_id) AS schedules, count(*) AS tickets, count(queue_number) AS numbered,
            count(DISTINCT (schedule_id, queue_number)) FILTER (WHERE queue_number IS NOT NULL) AS distinct_numbers
       FROM queue_tickets`,
  );
  expect(rows[0]).toEqual({ schedules: '2', tickets: '41', numbered: '41', distinct_numbers: '41' });
});
