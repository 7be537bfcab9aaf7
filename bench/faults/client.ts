/**
 * What a fan's app does when the system stumbles: one call through the gateway, its answer or
 * error code (a network failure is a code too), and a retry of the same call with the same
 * idempotency key until the system answers it for real. Plus the probes the suite measures with.
 */
import { createPoster } from '../lib/load';
import type { HeldBooking } from '../onsale/hold-phase';
import type { CatalogSeat, Fan } from '../onsale/setup';

export interface Answer<T> {
  data?: T;
  /** The first error's code, `HTTP <status>` without one, `network: …` without an answer. */
  code?: string;
  message?: string;
}

/** Codes that are the system's final word on the request: retrying them changes nothing. */
const FINAL = new Set(['NOT_FOUND', 'CONFLICT', 'INVALID_STATE', 'INSUFFICIENT_BALANCE', 'BAD_USER_INPUT', 'FORBIDDEN', 'SEAT_UNAVAILABLE', 'QUEUE_TOKEN_INVALID', 'SEAT_LIMIT_REACHED', 'GRAPHQL_VALIDATION_FAILED']);
export const isFinal = (code: string | undefined) => code !== undefined && FINAL.has(code);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export type Caller = <T>(query: string, variables: Record<string, unknown>, token: string) => Promise<Answer<T>>;

export function createCaller(gatewayUrl: string, connections = 64): { call: Caller; close: () => void } {
  const poster = createPoster(gatewayUrl, connections);
  const call: Caller = async <T>(query: string, variables: Record<string, unknown>, token: string): Promise<Answer<T>> => {
    let response: { status: number; body: string };
    try {
      response = await poster.post(JSON.stringify({ query, variables }), { authorization: `Bearer ${token}` });
    } catch (error) {
      return { code: `network: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` };
    }
    try {
      const body = JSON.parse(response.body) as { data?: T | null; errors?: Array<{ message?: string; extensions?: { code?: string } }> };
      if (body.errors?.length) return { code: body.errors[0]!.extensions?.code ?? `HTTP ${response.status}`, message: body.errors[0]!.message ?? '' };
      if (body.data) return { data: body.data };
      return { code: `HTTP ${response.status}` };
    } catch {
      return { code: `HTTP ${response.status}`, message: response.body.slice(0, 200) };
    }
  };
  return { call, close: () => poster.close() };
}

/** Retries until an answer that is data or a final code, or until `deadline` (performance.now()). */
export async function untilAnswered<T>(call: () => Promise<Answer<T>>, deadline: number, errors?: Record<string, number>): Promise<Answer<T> & { attempts: number }> {
  let attempts = 0;
  for (;;) {
    attempts += 1;
    const answer = await call();
    if (answer.data || isFinal(answer.code) || performance.now() > deadline) return { ...answer, attempts };
    if (errors && answer.code) errors[answer.code] = (errors[answer.code] ?? 0) + 1;
    await sleep(250);
  }
}

const PROBE = `query Probe($s: ID!, $b: ID!) {
  me { id wallet { balance } }
  concerts(first: 1) { nodes { id } }
  queueStats(scheduleId: $s) { waiting }
  scheduleBookings(scheduleId: $s, first: 1) { nodes { id } }
  streamEvents(streamType: "booking", streamId: $b, first: 1) { nodes { eventId } }
}`;

/** One admin query through the gateway that needs every subgraph (user, payment, concert, queue, booking, history). */
export const probe = (call: Caller, adminToken: string, scheduleId: string, bookingId: string) => call(PROBE, { s: scheduleId, b: bookingId }, adminToken);

const PAY = 'mutation Pay($bookingId: ID!, $key: String!) { payBooking(bookingId: $bookingId, idempotencyKey: $key) { id status } }';

export interface PaidBooking {
  booking: HeldBooking;
  /** payBooking's answer (a status), or the final code it was refused with, or the last transient code at the deadline. */
  answer: string;
  attempts: number;
  /** Transient failures the fan saw before the answer, by code. */
  retried: Record<string, number>;
}

/** Pays every booking at `rate` per second (open loop); each payment retries with its key until answered. */
export async function payAll(call: Caller, bookings: readonly HeldBooking[], rate: number, deadline: number, onSent?: () => void, onAnswered?: () => void): Promise<PaidBooking[]> {
  const started = performance.now();
  const pending: Array<Promise<PaidBooking>> = [];
  for (let k = 0; k < bookings.length; k += 1) {
    const wait = started + (k * 1000) / rate - performance.now();
    if (wait > 1) await sleep(wait);
    const booking = bookings[k]!;
    onSent?.();
    const retried: Record<string, number> = {};
    pending.push(
      untilAnswered<{ payBooking: { status: string } }>(
        () => call(PAY, { bookingId: booking.bookingId, key: `faults-pay-${booking.bookingId}` }, booking.fan.token),
        deadline,
        retried,
      ).then((answer) => {
        onAnswered?.();
        return { booking, answer: answer.data?.payBooking.status ?? answer.code ?? 'none', attempts: answer.attempts, retried };
      }),
    );
  }
  return Promise.all(pending);
}

const MY_BOOKINGS = 'query Mine { myBookings(first: 20) { nodes { id status amount schedule { id } seats { id } } } }';

/**
 * A fan whose holdSeats got no answer (the call failed mid-flight) looks under "My bookings", as
 * the app does: a hold that was made but never reported is found there and paid like any other.
 */
export async function findUnreportedHolds(
  call: Caller,
  fans: readonly Fan[],
  known: ReadonlySet<string>,
  scheduleId: string,
  seats: readonly CatalogSeat[],
  deadline: number,
): Promise<{ found: HeldBooking[]; unanswered: number }> {
  const priceOf = new Map(seats.map((seat) => [seat.id, seat.price]));
  const found: HeldBooking[] = [];
  let unanswered = 0;
  for (const fan of fans) {
    const answer = await untilAnswered<{ myBookings: { nodes: Array<{ id: string; status: string; amount: number; schedule: { id: string }; seats: Array<{ id: string }> }> } }>(
      () => call(MY_BOOKINGS, {}, fan.token),
      deadline,
    );
    if (!answer.data) {
      unanswered += 1;
      continue;
    }
    for (const node of answer.data.myBookings.nodes) {
      if (node.schedule.id !== scheduleId || known.has(node.id)) continue;
      const seatIds = node.seats.map((seat) => seat.id);
      found.push({ bookingId: node.id, fan, seatIds, amount: node.amount, expectedAmount: seatIds.reduce((sum, id) => sum + (priceOf.get(id) ?? 0), 0) });
    }
  }
  return { found, unanswered };
}

const TICKET = 'query Ticket($token: String!) { queueTicket(token: $token) { token status queueNumber } }';

export interface TicketState {
  token: string;
  status: string;
  queueNumber: number | null;
}

/** The fan's waiting-room ticket, retried while the room answers "try again"; a final code (QUEUE_TOKEN_INVALID: the place is lost) is returned as is. */
export async function readTicket(call: Caller, fan: Fan, deadline: number): Promise<TicketState | { code: string }> {
  const answer = await untilAnswered<{ queueTicket: TicketState | null }>(() => call(TICKET, { token: fan.queueToken }, fan.token), deadline);
  if (answer.data?.queueTicket) return answer.data.queueTicket;
  if (answer.data) return { code: 'null ticket' };
  return { code: answer.code ?? 'no answer' };
}
