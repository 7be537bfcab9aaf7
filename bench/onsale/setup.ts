/**
 * What the on-sale needs before the doors open: a schedule with priced seats, signed-up fans with
 * money in their wallets, and every fan admitted by the waiting room. Fans, wallets and the queue go
 * through the gateway like any client; only the catalog is written straight into the concert
 * database, because no API creates concerts (bench/queue and the test fixtures do the same).
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { gql, mapLimit } from '@ticketing/test-support';
import { log } from './config';

export interface CatalogSeat {
  id: string;
  price: number;
}

export interface Fan {
  index: number;
  userId: string;
  /** The fan's bearer token. */
  token: string;
  /** The fan's waiting-room ticket. */
  queueToken: string;
  /** The admitted ticket's pass (ADR 0013): what a fan's client sends to hold; null until admitted. */
  admissionPass: string | null;
  /** Charged less than any seat costs: their payment must fail and their booking be cancelled. */
  short: boolean;
  /** What the fan put in the wallet, for the ledger audit. */
  charged: number;
}

/** Most seats one fan tries to hold at once (the booking subgraph allows more). */
export const MAX_SEATS_PER_HOLD = 4;
const SEATS_PER_ROW = 25;
/** Section base prices in KRW, front to back; rows further back cost a little less. */
const SECTIONS = [
  { name: 'VIP', price: 198_000 },
  { name: 'R', price: 154_000 },
  { name: 'S', price: 121_000 },
  { name: 'A', price: 88_000 },
  { name: 'B', price: 66_000 },
] as const;
const SHORT_WALLET = 1_000;
const SETUP_CONCURRENCY = 16;

function priceOf(section: number, rowInSection: number): number {
  return SECTIONS[section]!.price - ((rowInSection - 1) % 10) * 1_100;
}

/** A concert with one schedule open for booking and `seatCount` seats over five price sections. */
export async function createOnsaleSchedule(concertDatabaseUrl: string, seatCount: number): Promise<{ scheduleId: string; seats: CatalogSeat[] }> {
  const db = new Client({ connectionString: concertDatabaseUrl });
  await db.connect();
  try {
    const concertId = randomUUID();
    const scheduleId = randomUUID();
    await db.query(`INSERT INTO concerts (id, title, artist, venue) VALUES ($1, 'On-sale Night', 'Stampede', 'Loopback Arena')`, [concertId]);
    await db.query(
      `INSERT INTO schedules (id, concert_id, starts_at, booking_opens_at) VALUES ($1, $2, now() + interval '30 days', now() - interval '1 minute')`,
      [scheduleId, concertId],
    );
    const rows = Math.ceil(seatCount / SEATS_PER_ROW);
    const sections: string[] = [];
    const rowLabels: string[] = [];
    const numbers: number[] = [];
    const prices: number[] = [];
    const rowsPerSection = Math.ceil(rows / SECTIONS.length);
    for (let i = 0; i < seatCount; i += 1) {
      const row = Math.floor(i / SEATS_PER_ROW);
      const section = Math.floor(row / rowsPerSection);
      const rowInSection = (row % rowsPerSection) + 1;
      sections.push(SECTIONS[section]!.name);
      rowLabels.push(String(rowInSection));
      numbers.push((i % SEATS_PER_ROW) + 1);
      prices.push(priceOf(section, rowInSection));
    }
    const inserted = await db.query<{ id: string; price: number }>(
      `INSERT INTO seats (schedule_id, section, row, number, price)
       SELECT $1, s, r, n, p FROM unnest($2::text[], $3::text[], $4::int[], $5::int[]) AS t(s, r, n, p)
       RETURNING id, price`,
      [scheduleId, sections, rowLabels, numbers, prices],
    );
    return { scheduleId, seats: inserted.rows };
  } finally {
    await db.end();
  }
}

async function must<T>(url: string, query: string, variables: Record<string, unknown>, token?: string): Promise<T> {
  const response = await gql<T>(query, variables, { url, ...(token ? { token } : {}) });
  if (!response.data || response.errors?.length) throw new Error(`setup call failed: ${JSON.stringify(response.errors)}`);
  return response.data;
}

export async function logInAdmin(gatewayUrl: string): Promise<string> {
  const data = await must<{ logIn: { token: string } }>(
    gatewayUrl,
    'mutation($e: String!, $p: String!) { logIn(email: $e, password: $p) { token } }',
    { e: process.env['ADMIN_EMAIL'] ?? 'admin@ticketing.local', p: process.env['ADMIN_PASSWORD'] ?? 'admin-password-change-me' },
  );
  return data.logIn.token;
}

/**
 * Signs up `count` fans and charges their wallets: enough for the dearest four seats, except a
 * random `shortFraction` who get less than the cheapest seat.
 */
export async function signUpFans(gatewayUrl: string, count: number, shortFraction: number): Promise<Array<Omit<Fan, 'queueToken' | 'admissionPass'>>> {
  const dearest = SECTIONS[0].price;
  const started = performance.now();
  const fans = await mapLimit(Array.from({ length: count }), SETUP_CONCURRENCY, async (_fan, index) => {
    const data = await must<{ signUp: { token: string; user: { id: string } } }>(
      gatewayUrl,
      'mutation($input: SignUpInput!) { signUp(input: $input) { token user { id } } }',
      { input: { email: `onsale-${index}-${randomUUID()}@example.com`, password: 'bench-password', name: `Fan ${index}` } },
    );
    const short = Math.random() < shortFraction;
    const charged = short ? SHORT_WALLET : MAX_SEATS_PER_HOLD * dearest;
    await must(
      gatewayUrl,
      'mutation($amount: Int!, $key: String!) { chargeWallet(amount: $amount, idempotencyKey: $key) { balance } }',
      { amount: charged, key: `onsale-top-up-${index}` },
      data.signUp.token,
    );
    return { index, userId: data.signUp.user.id, token: data.signUp.token, short, charged };
  });
  log(`  ${count} fans signed up and charged in ${Math.round(performance.now() - started) / 1000} s (${fans.filter((f) => f.short).length} short of money)`);
  return fans;
}

/**
 * Every fan enters the waiting room; the policy admits them all (rate and cap high enough), and
 * we wait until the queue says so. The hold phase then measures holding, not waiting in line.
 */
export async function admitEveryone(gatewayUrl: string, adminToken: string, scheduleId: string, fans: Array<Omit<Fan, 'queueToken' | 'admissionPass'>>): Promise<Fan[]> {
  await must(
    gatewayUrl,
    'mutation($s: ID!, $r: Int!, $m: Int!) { setQueuePolicy(scheduleId: $s, admitsPerSecond: $r, maxActive: $m, paused: false) { paused } }',
    { s: scheduleId, r: Math.min(10_000, Math.max(100, fans.length)), m: fans.length },
    adminToken,
  );
  const started = performance.now();
  const admitted = await mapLimit(fans, SETUP_CONCURRENCY, async (fan) => {
    const data = await must<{ enterQueue: { token: string } }>(
      gatewayUrl,
      'mutation($s: ID!) { enterQueue(scheduleId: $s) { token status } }',
      { s: scheduleId },
      fan.token,
    );
    return { ...fan, queueToken: data.enterQueue.token };
  });
  const deadline = performance.now() + 60_000;
  for (;;) {
    const stats = await must<{ queueStats: { admitted: number; waiting: number } }>(
      gatewayUrl,
      'query($s: ID!) { queueStats(scheduleId: $s) { admitted waiting } }',
      { s: scheduleId },
      adminToken,
    );
    if (stats.queueStats.admitted >= fans.length) break;
    if (performance.now() > deadline) throw new Error(`only ${stats.queueStats.admitted} of ${fans.length} fans admitted after 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  // What a client does once its ticket says ACTIVE: keep the pass it carries.
  const withPasses = await mapLimit(admitted, SETUP_CONCURRENCY, async (fan) => {
    const data = await must<{ queueTicket: { status: string; admissionPass: string | null } | null }>(
      gatewayUrl,
      'query($t: String!) { queueTicket(token: $t) { status admissionPass } }',
      { t: fan.queueToken },
      fan.token,
    );
    const pass = data.queueTicket?.admissionPass;
    if (!pass) throw new Error(`fan ${fan.index}'s ticket is ${data.queueTicket?.status ?? 'gone'}, without a pass`);
    return { ...fan, admissionPass: pass };
  });
  log(`  ${fans.length} fans entered and admitted in ${Math.round(performance.now() - started) / 1000} s`);
  return withPasses;
}
