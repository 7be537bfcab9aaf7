/**
 * Phase 2: every fan with a HELD booking watches it live (`bookingUpdated` over graphql-ws, on
 * the fan's own connection, as the checkout page would) and pays; payments leave at a fixed rate
 * whatever the system answers (open loop), and the clock runs from sending `payBooking` until the
 * subscription shows the saga's verdict: CONFIRMED, or CANCELLED for the fans short of money.
 */
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { mapLimit } from '@ticketing/test-support';
import { createPoster, summarize, type LatencySummary } from '../lib/load';
import type { HeldBooking } from './hold-phase';

const PAY = 'mutation Pay($bookingId: ID!, $key: String!) { payBooking(bookingId: $bookingId, idempotencyKey: $key) { id status } }';
const CANCEL = 'mutation Cancel($bookingId: ID!) { cancelBooking(bookingId: $bookingId) { id status } }';
const WATCH = 'subscription Watch($bookingId: ID!) { bookingUpdated(bookingId: $bookingId) { id status amount } }';
const TERMINAL = new Set(['CONFIRMED', 'CANCELLED', 'EXPIRED']);
/** Connections opened at once while fans arrive on the checkout page. */
const CONNECT_CONCURRENCY = 50;
/** How long verdicts may take after the last payment left; an overloaded saga drains its backlog in this time. */
const VERDICT_GRACE_MS = 120_000;

/** Wall-clock milliseconds with sub-millisecond resolution, comparable with database timestamps. */
const wallNow = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const count = (into: Record<string, number>, key: string) => void (into[key] = (into[key] ?? 0) + 1);

export interface Payment {
  booking: HeldBooking;
  /** Wall clock when payBooking left (ms since the epoch). */
  sentAt?: number;
  /** payBooking's own round trip. */
  answerMs?: number;
  /** The status payBooking answered, or its error code. */
  answer?: string;
  /** Every status the subscription pushed, with when (wall clock). */
  seen: Array<{ status: string; at: number }>;
  /** The first terminal status pushed after payBooking left. */
  verdict?: { status: string; at: number };
  subscriptionError?: string;
}

/** payBooking took the payment in (the verdict comes later, on the subscription). */
const accepted = (p: Payment) => p.answer === 'PAYMENT_PENDING' || (p.answer !== undefined && TERMINAL.has(p.answer));

export interface Watches {
  payments: Payment[];
  connections: number;
  /** Subscriptions that pushed the booking's current state at once (the contract says they do). */
  initialPushes: number;
  close(): Promise<void>;
}

/** Opens the fan's connection and subscription; resolves once the connection is acknowledged. */
function watch(wsUrl: string, payment: Payment): Promise<Client> {
  return new Promise((resolve, reject) => {
    const client = createClient({
      url: wsUrl,
      webSocketImpl: WebSocket,
      lazy: true,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${payment.booking.fan.token}` },
      on: {
        connected: () => resolve(client),
        // Before the acknowledgement these refuse the fan (e.g. 4403 for a bad token); later they change nothing.
        error: (error) => reject(error instanceof Error ? error : new Error(String(error))),
        closed: (event) => reject(new Error(`closed ${(event as { code?: number }).code ?? ''}`)),
      },
    });
    client.subscribe<{ bookingUpdated: { status: string } }>(
      { query: WATCH, variables: { bookingId: payment.booking.bookingId } },
      {
        next: (result) => {
          const at = wallNow();
          const code = result.errors?.[0]?.extensions?.['code'];
          if (result.errors?.length) payment.subscriptionError = typeof code === 'string' ? code : result.errors[0]!.message;
          const status = result.data?.bookingUpdated.status;
          if (!status) return;
          payment.seen.push({ status, at });
          if (!payment.verdict && payment.sentAt !== undefined && TERMINAL.has(status)) payment.verdict = { status, at };
        },
        error: (error) => {
          payment.subscriptionError ??= error instanceof Error ? error.message : JSON.stringify(error);
        },
        complete: () => undefined,
      },
    );
  });
}

/**
 * One graphql-ws connection per fan with its own token and one `bookingUpdated` each (the gateway
 * allows 20 per connection; a fan needs one). Waits for each booking's current state to arrive, so
 * no payment can race its subscription.
 */
export async function watchBookings(gatewayUrl: string, bookings: readonly HeldBooking[]): Promise<Watches> {
  const wsUrl = gatewayUrl.replace(/^http/, 'ws');
  const payments: Payment[] = bookings.map((booking) => ({ booking, seen: [] }));
  const clients = await mapLimit(payments, CONNECT_CONCURRENCY, (payment) =>
    watch(wsUrl, payment).catch((error: unknown) => {
      payment.subscriptionError = `connect: ${(error as Error).message}`;
      return undefined;
    }),
  );
  const ready = performance.now() + 15_000;
  while (payments.some((p) => p.seen.length === 0 && !p.subscriptionError) && performance.now() < ready) await sleep(50);
  return {
    payments,
    connections: clients.filter(Boolean).length,
    initialPushes: payments.filter((p) => p.seen.length > 0).length,
    close: async () => void (await Promise.all(clients.map((client) => client?.dispose()))),
  };
}

export interface PayResult {
  payments: readonly Payment[];
  targetRate: number;
  achievedRate: number;
  /** Worst delay of a payment behind its schedule: how well the load generator kept the pace. */
  maxSendLagMs: number;
  seconds: number;
  answerLatencyMs: LatencySummary;
  confirmedLatencyMs: LatencySummary;
  cancelledLatencyMs: LatencySummary;
  verdicts: Record<string, number>;
  /** Accepted payments whose verdict the subscription did not show within the grace period. */
  noVerdict: number;
  payErrors: Record<string, number>;
  subscriptionErrors: Record<string, number>;
  /** Bookings whose payment was refused outright and which the fan then cancelled. */
  cancelledAfterRefusal: number;
}

/** Pays the watched bookings at `rate` per second (open loop) and waits for their verdicts. */
export async function payAtRate(gatewayUrl: string, payments: readonly Payment[], rate: number): Promise<PayResult> {
  const poster = createPoster(gatewayUrl, 256);
  let refusals = 0;
  const pay = async (payment: Payment) => {
    const body = JSON.stringify({ query: PAY, variables: { bookingId: payment.booking.bookingId, key: `onsale-pay-${payment.booking.bookingId}` } });
    payment.sentAt = wallNow();
    try {
      const response = await poster.post(body, { authorization: `Bearer ${payment.booking.fan.token}` });
      payment.answerMs = wallNow() - payment.sentAt;
      const answer = JSON.parse(response.body) as { data?: { payBooking?: { status: string } | null }; errors?: Array<{ extensions?: { code?: string } }> };
      payment.answer = answer.data?.payBooking?.status ?? answer.errors?.[0]?.extensions?.code ?? `HTTP ${response.status}`;
    } catch (error) {
      payment.answerMs = wallNow() - payment.sentAt;
      payment.answer = `network: ${(error as Error).message}`;
    }
    if (!accepted(payment)) {
      // Refused outright (e.g. INSUFFICIENT_BALANCE checked up front): the fan lets the seats go.
      refusals += 1;
      await poster.post(JSON.stringify({ query: CANCEL, variables: { bookingId: payment.booking.bookingId } }), {
        authorization: `Bearer ${payment.booking.fan.token}`,
      });
    }
  };

  const started = performance.now();
  const inFlight: Array<Promise<void>> = [];
  let maxSendLagMs = 0;
  let lastSent = started;
  for (let k = 0; k < payments.length; k += 1) {
    const due = started + (k * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    lastSent = performance.now();
    maxSendLagMs = Math.max(maxSendLagMs, lastSent - due);
    inFlight.push(pay(payments[k]!));
  }
  await Promise.all(inFlight);
  const deadline = performance.now() + VERDICT_GRACE_MS;
  while (payments.some((p) => accepted(p) && !p.verdict && !p.subscriptionError) && performance.now() < deadline) await sleep(50);
  const seconds = (performance.now() - started) / 1000;
  poster.close();

  const verdicts: Record<string, number> = {};
  const payErrors: Record<string, number> = {};
  const subscriptionErrors: Record<string, number> = {};
  const latency = (status: string) =>
    summarize(payments.filter((p) => accepted(p) && p.verdict?.status === status).map((p) => p.verdict!.at - p.sentAt!));
  for (const payment of payments) {
    if (accepted(payment)) count(verdicts, payment.verdict?.status ?? 'none seen');
    else count(payErrors, payment.answer ?? 'not sent');
    if (payment.subscriptionError) count(subscriptionErrors, payment.subscriptionError);
  }
  const span = (lastSent - started) / 1000;
  return {
    payments,
    targetRate: rate,
    achievedRate: span > 0 ? Math.round((payments.length - 1) / span) : payments.length,
    maxSendLagMs: Math.round(maxSendLagMs * 10) / 10,
    seconds: Math.round(seconds * 100) / 100,
    answerLatencyMs: summarize(payments.flatMap((p) => (p.answerMs === undefined ? [] : [p.answerMs]))),
    confirmedLatencyMs: latency('CONFIRMED'),
    cancelledLatencyMs: latency('CANCELLED'),
    verdicts,
    noVerdict: payments.filter((p) => accepted(p) && !p.verdict).length,
    payErrors,
    subscriptionErrors,
    cancelledAfterRefusal: refusals,
  };
}
