import { randomUUID } from 'node:crypto';
import { createRedis } from '@ticketing/platform';
import { sql } from './database';
import { testSystem } from './system';
import { errorCode, gql, logInAdmin, signUpFan, type SignedUpFan } from './graphql-client';

/** `count` seats in a new section of a schedule in this run's concert database, in row order. */
export async function addSeats(scheduleId: string, count: number, price = 50_000): Promise<string[]> {
  const ids = Array.from({ length: count }, () => randomUUID());
  await sql(
    'concert',
    `INSERT INTO seats (id, schedule_id, section, "row", number, price)
     SELECT id, $2, $4, chr(65 + ((n - 1) / 20)::int), ((n - 1) % 20) + 1, $3 FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, n)`,
    [ids, scheduleId, price, `S-${randomUUID().slice(0, 8)}`],
  );
  await forgetCachedSeatMap(scheduleId);
  return ids;
}

/**
 * Seats inserted behind the catalog's back must not hide behind its seat-map cache, which
 * follows status changes in place and is otherwise rebuilt only when the catalog itself adds
 * seats or changes prices: what concert's `invalidate` does, with the key names of
 * subgraphs/concert/src/adapters/redis/seat-map.cache.ts under the run's key prefix.
 */
async function forgetCachedSeatMap(scheduleId: string): Promise<void> {
  const redis = createRedis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379', testSystem().env['REDIS_KEY_PREFIX']);
  try {
    const key = `seatmap:{${scheduleId}}`;
    await redis.multi().incr(`${key}:generation`).del(key, `${key}:statuses`).exec();
  } finally {
    redis.disconnect();
  }
}

/** Lets a schedule's waiting room admit quickly (an admin's setQueuePolicy through the gateway). */
export async function admitFreely(scheduleId: string, admitsPerSecond = 1_000, maxActive = 10_000): Promise<void> {
  const admin = await logInAdmin();
  const response = await gql(
    'mutation Policy($id: ID!, $rate: Int, $max: Int) { setQueuePolicy(scheduleId: $id, admitsPerSecond: $rate, maxActive: $max) { admitsPerSecond } }',
    { id: scheduleId, rate: admitsPerSecond, max: maxActive },
    { token: admin },
  );
  if (response.errors) throw new Error(`setQueuePolicy failed: ${JSON.stringify(response.errors)}`);
}

export interface AdmittedFan extends SignedUpFan {
  /** The ticket's token: reads and follows the ticket, and holds with the waiting room's own check. */
  queueToken: string;
  /** The ACTIVE ticket's pass, which booking checks by itself: what holdSeats sends when there is one. */
  admissionPass?: string;
}

/** Enters the queue for the fan and waits until the ticket is ACTIVE, with its admission pass. */
export async function admit(fan: SignedUpFan, scheduleId: string, timeoutMs = 30_000): Promise<AdmittedFan> {
  type Ticket = { token: string; status: string; admissionPass: string | null };
  const entered = await gql<{ enterQueue: Ticket }>('mutation Enter($id: ID!) { enterQueue(scheduleId: $id) { token status admissionPass } }', { id: scheduleId }, { token: fan.token });
  if (!entered.data) throw new Error(`enterQueue failed: ${JSON.stringify(entered.errors)}`);
  const queueToken = entered.data.enterQueue.token;
  const deadline = Date.now() + timeoutMs;
  let ticket: Ticket | null = entered.data.enterQueue;
  while (ticket?.status !== 'ACTIVE' || !ticket.admissionPass) {
    if (Date.now() > deadline) throw new Error(`ticket still ${ticket?.status ?? 'UNKNOWN'} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const read = await gql<{ queueTicket: Ticket | null }>('query T($t: String!) { queueTicket(token: $t) { token status admissionPass } }', { t: queueToken }, { token: fan.token });
    ticket = read.data?.queueTicket ?? null;
  }
  return { ...fan, queueToken, admissionPass: ticket.admissionPass };
}

export const admittedFan = async (scheduleId: string) => admit(await signUpFan(), scheduleId);

export async function chargeWallet(fan: SignedUpFan, amount: number): Promise<void> {
  const response = await gql('mutation C($a: Int!, $k: String!) { chargeWallet(amount: $a, idempotencyKey: $k) { balance } }', { a: amount, k: randomUUID() }, { token: fan.token });
  if (response.errors) throw new Error(`chargeWallet failed: ${JSON.stringify(response.errors)}`);
}

export const BOOKING_FIELDS = 'id status amount heldUntil seats { id } history { status reason }';

export interface BookingView {
  id: string;
  status: string;
  amount: number;
  heldUntil: string | null;
  seats: Array<{ id: string }>;
  history: Array<{ status: string; reason: string | null }>;
}

export async function holdSeats(fan: AdmittedFan, scheduleId: string, seatIds: readonly string[]) {
  const response = await gql<{ holdSeats: BookingView }>(
    `mutation H($s: ID!, $seats: [ID!]!, $q: String!) { holdSeats(scheduleId: $s, seatIds: $seats, queueToken: $q) { ${BOOKING_FIELDS} } }`,
    { s: scheduleId, seats: seatIds, q: fan.admissionPass ?? fan.queueToken },
    { token: fan.token },
  );
  return { booking: response.data?.holdSeats ?? null, code: errorCode(response), response };
}

export async function payBooking(fan: SignedUpFan, bookingId: string, idempotencyKey: string = randomUUID()) {
  const response = await gql<{ payBooking: BookingView }>(
    `mutation P($b: ID!, $k: String!) { payBooking(bookingId: $b, idempotencyKey: $k) { ${BOOKING_FIELDS} } }`,
    { b: bookingId, k: idempotencyKey },
    { token: fan.token },
  );
  return { booking: response.data?.payBooking ?? null, code: errorCode(response), response };
}

export async function readBooking(fan: SignedUpFan, bookingId: string): Promise<BookingView | null> {
  const response = await gql<{ booking: BookingView | null }>(`query B($id: ID!) { booking(id: $id) { ${BOOKING_FIELDS} } }`, { id: bookingId }, { token: fan.token });
  return response.data?.booking ?? null;
}

/** Polls until the booking reaches one of `statuses` (the saga is asynchronous). */
export async function bookingReaches(fan: SignedUpFan, bookingId: string, statuses: readonly string[], timeoutMs = 30_000): Promise<BookingView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const booking = await readBooking(fan, bookingId);
    if (booking && statuses.includes(booking.status)) return booking;
    if (Date.now() > deadline) throw new Error(`booking ${bookingId} is ${booking?.status ?? 'missing'}, not ${statuses.join('|')}, after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The fan's wallet balance through the gateway. */
export async function balanceOf(fan: SignedUpFan): Promise<number> {
  const response = await gql<{ me: { wallet: { balance: number } } }>('{ me { wallet { balance } } }', {}, { token: fan.token });
  if (!response.data) throw new Error(`balance read failed: ${JSON.stringify(response.errors)}`);
  return response.data.me.wallet.balance;
}
