import { randomUUID } from 'node:crypto';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import {
  addSeats,
  admitFreely,
  admittedFan,
  balanceOf,
  BOOKING_FIELDS,
  bookingReaches,
  chargeWallet,
  closeDatabases,
  eventually,
  gql,
  holdSeats,
  killService,
  mapLimit,
  openSchedule,
  payBooking,
  restartService,
  sql,
  startIsolatedSystem,
  stopIsolatedSystem,
  useTestSystem,
  type AdmittedFan,
  type IsolatedSystem,
} from '@ticketing/test-support';

/**
 * Two of everything (issue 13): every service runs as two copies behind HAProxy on the public
 * ports, as `npm run start:scaled` runs them. The work only one process may do (admission steps,
 * sweepers, outbox relays, consumers, the archiver, projections) runs in both copies at once,
 * and a gateway copy dies under a fan's live subscription.
 */

let system: IsolatedSystem;
let scheduleId: string;
const clients: Client[] = [];

/** A value of one process's Prometheus text (summed over label sets), or 0. */
async function metric(metricsPort: number, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

const copiesOf = (service: string) => system.instances.filter((instance) => instance.service.name === service);

/** `count` admitted fans with 50,000 KRW each, every one holding a seat of 10,000 KRW of its own, all at once. */
async function fansHoldingOneSeatEach(count: number) {
  const seatIds = await addSeats(scheduleId, count, 10_000);
  const fans = await mapLimit(seatIds, 8, async () => {
    const fan = await admittedFan(scheduleId);
    await chargeWallet(fan, 50_000);
    return fan;
  });
  const ids = await Promise.all(
    fans.map(async (fan, i) => {
      const { booking, response } = await holdSeats(fan, scheduleId, [seatIds[i]!]);
      if (!booking) throw new Error(`hold ${i} failed: ${JSON.stringify(response.errors)}`);
      return booking.id;
    }),
  );
  return { seatIds, fans, ids };
}

beforeAll(async () => {
  system = await startIsolatedSystem({ label: 'scaled', copies: 2 });
  useTestSystem(system);
  scheduleId = await openSchedule();
  await admitFreely(scheduleId);
}, 240_000);

afterAll(async () => {
  for (const client of clients) await client.dispose();
  await closeDatabases();
  if (system) await stopIsolatedSystem(system);
});

it('given two copies of every service, when 24 fans hold and pay at once, then each seat is sold once, each wallet debited once, and both copies of each service did some of the work', async () => {
  const { seatIds, fans, ids } = await fansHoldingOneSeatEach(24);
  await Promise.all(fans.map((fan, i) => payBooking(fan, ids[i]!)));
  await Promise.all(fans.map((fan, i) => bookingReaches(fan, ids[i]!, ['CONFIRMED'], 60_000)));

  expect(await Promise.all(fans.map((fan) => balanceOf(fan)))).toEqual(fans.map(() => 40_000));
  const debits = await sql<{ booking_id: string; n: string }>('payment', `SELECT booking_id, count(*) AS n FROM payments WHERE status = 'COMPLETED' GROUP BY booking_id`);
  expect(debits.filter((row) => ids.includes(row.booking_id)).map((row) => row.n).sort()).toEqual(ids.map(() => '1'));
  // Concert's seat projection consumes booking's events in two copies: each seat ends SOLD once.
  const soldSeats = async () => (await sql('concert', `SELECT id FROM seats WHERE id = ANY($1::uuid[]) AND status = 'SOLD'`, [seatIds])).length;
  await eventually(async () => (await soldSeats()) === 24, 30_000, 'all 24 seats SOLD on the seat map');

  // Both copies served: requests are balanced, not all sent to the first copy.
  for (const service of ['gateway', 'booking', 'payment']) {
    const served = await Promise.all(copiesOf(service).map((copy) => metric(copy.metricsPort, 'http_request_duration_seconds_count')));
    expect({ service, bothServed: served.every((count) => count > 0) }).toEqual({ service, bothServed: true });
  }
}, 180_000);

it('given payments in flight, when one payment copy is killed, then the other takes over its partitions and every booking is confirmed with one debit', async () => {
  const { fans, ids } = await fansHoldingOneSeatEach(12);
  // Half paid before the kill, half after: the consumer group rebalances while the saga runs.
  await Promise.all(fans.slice(0, 6).map((fan, i) => payBooking(fan, ids[i]!)));
  await killService(system, 'payment-1');
  await Promise.all(fans.slice(6).map((fan, i) => payBooking(fan, ids[i + 6]!)));
  await Promise.all(fans.map((fan, i) => bookingReaches(fan, ids[i]!, ['CONFIRMED'], 90_000)));

  expect(await Promise.all(fans.map((fan) => balanceOf(fan)))).toEqual(fans.map(() => 40_000));
  const debits = await sql<{ booking_id: string }>('payment', `SELECT booking_id FROM payments WHERE booking_id = ANY($1::uuid[]) AND status = 'COMPLETED'`, [ids]);
  expect(debits.map((row) => row.booking_id).sort()).toEqual([...ids].sort());
  await restartService(system, 'payment-1');
}, 240_000);

it('given a fan watching their booking on one gateway copy, when that copy is killed and the booking is confirmed while the fan is away, then the client reconnects through the balancer to the other copy and still sees CONFIRMED', async () => {
  const [seatId] = await addSeats(scheduleId, 1, 10_000);
  const fan: AdmittedFan = await admittedFan(scheduleId);
  await chargeWallet(fan, 50_000);
  const { booking: held, response } = await holdSeats(fan, scheduleId, [seatId!]);
  if (!held) throw new Error(`hold failed: ${JSON.stringify(response.errors)}`);
  const bookingId = held.id;

  let connections = 0;
  /** Held back until the booking is confirmed: the push of CONFIRMED then reaches no socket of this fan. */
  let mayReconnect = false;
  // As the web client does (web/src/api/client.ts): retry for ever, on any close.
  const client = createClient({
    url: system.gatewayUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${fan.token}` },
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: () => true,
    retryWait: async () => {
      while (!mayReconnect) await new Promise((resolve) => setTimeout(resolve, 50));
    },
    on: { connected: () => void (connections += 1) },
  });
  clients.push(client);
  const statuses: string[] = [];
  client.subscribe<{ bookingUpdated: { status: string } }>(
    { query: `subscription ($id: ID!) { bookingUpdated(bookingId: $id) { ${BOOKING_FIELDS} } }`, variables: { id: bookingId } },
    { next: ({ data }) => void (data && statuses.push(data.bookingUpdated.status)), error: () => undefined, complete: () => undefined },
  );
  await eventually(async () => statuses.includes('HELD'), 20_000, 'the first HELD on the subscription');

  // The copy holding the socket (leastconn: whichever accepted it) dies without a goodbye.
  const holders = await Promise.all(copiesOf('gateway').map(async (copy) => ({ copy, sockets: await metric(copy.metricsPort, 'graphql_ws_connections') })));
  const holder = holders.find(({ sockets }) => sockets > 0)!.copy;
  await killService(system, holder.name);

  // Paid and confirmed through the other copy while the fan's socket is gone.
  const paid = await payBooking(fan, bookingId, randomUUID());
  expect(paid.code).toBeUndefined();
  await bookingReaches(fan, bookingId, ['CONFIRMED'], 60_000);
  expect(statuses).not.toContain('CONFIRMED');

  mayReconnect = true;
  await eventually(async () => connections >= 2, 30_000, 'the client connected again, to the other copy');
  // The resubscription starts from the booking as it is now (fetch-listen-fetch): nothing missed.
  await eventually(async () => statuses.includes('CONFIRMED'), 30_000, 'CONFIRMED on the resubscribed stream');
  expect(statuses.at(-1)).toBe('CONFIRMED');
}, 120_000);

it('given both booking copies down, when a fan reads their bookings, then the answer is SERVICE_UNAVAILABLE with a retry hint, and once a copy is back the read works', async () => {
  const fan = await admittedFan(scheduleId);
  const read = () => gql('{ myBookings(first: 5) { nodes { id } } }', {}, { token: fan.token });
  expect((await read()).errors).toBeUndefined();

  await Promise.all(copiesOf('booking').map((copy) => killService(system, copy.name)));
  // HAProxy finds no copy to take the request: a 503 the gateway passes on as a brief outage.
  const refused = await read();
  expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: 1 });

  await restartService(system, 'booking-1');
  await eventually(async () => (await read()).errors === undefined, 30_000, 'the bookings read again once booking-1 is back');
}, 120_000);

