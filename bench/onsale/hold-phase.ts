/**
 * Phase 1: every admitted fan tries to hold 1–4 random seats through the gateway, `concurrency`
 * fans at a time (closed loop). Fans pick from the load generator's own view of free seats, which
 * learns only from answers (like a seat map a fan looked at a moment ago), so concurrent fans do
 * collide on seats and the fences are exercised. A fan told SEAT_UNAVAILABLE picks again, up to
 * `tries` calls; every call counts as a hold attempt.
 */
import { closedLoop, createPoster, summarize, type LatencySummary } from '../lib/load';
import { MAX_SEATS_PER_HOLD, type CatalogSeat, type Fan } from './setup';

const HOLD =
  'mutation Hold($scheduleId: ID!, $seatIds: [ID!]!, $queueToken: String!) { holdSeats(scheduleId: $scheduleId, seatIds: $seatIds, queueToken: $queueToken) { id status amount heldUntil } }';

export interface HeldBooking {
  bookingId: string;
  fan: Fan;
  seatIds: string[];
  /** What the booking subgraph charged for the hold. */
  amount: number;
  /** The catalog prices of the seats we asked for, summed. */
  expectedAmount: number;
}

export interface HoldPhaseResult {
  attempts: number;
  seconds: number;
  attemptsPerSecond: number;
  latencyMs: LatencySummary;
  /**
   * The phase's first `concurrency` calls, which all start at the same instant, against every later
   * call: how much of the tail of `latencyMs` is that start. Later calls arrive spread over the
   * pipeline (gateway, booking, PostgreSQL); the first all queue at each stage in turn.
   */
  firstWave: { calls: number; maxMs: number; laterMs: LatencySummary };
  held: HeldBooking[];
  seatUnavailable: number;
  /** Other rejections and failures by code (HTTP status when there was no GraphQL answer). */
  otherErrors: Record<string, number>;
  /** Fans who made at least one call and still hold nothing. */
  fansWithoutSeats: number;
  /** Fans who made no call at all because their view of the hall had no free seat left. */
  fansFacingSoldOut: number;
}

/** The free seats as the load generator believes them: O(1) random pick and removal. */
class FreeSeats {
  private readonly ids: string[];
  private readonly at = new Map<string, number>();

  constructor(seats: readonly CatalogSeat[]) {
    this.ids = seats.map((seat) => seat.id);
    this.ids.forEach((id, i) => this.at.set(id, i));
  }

  get size(): number {
    return this.ids.length;
  }

  pick(count: number): string[] {
    const picked = new Set<string>();
    const want = Math.min(count, this.ids.length);
    while (picked.size < want) picked.add(this.ids[Math.floor(Math.random() * this.ids.length)]!);
    return [...picked];
  }

  remove(ids: readonly string[]): void {
    for (const id of ids) {
      const i = this.at.get(id);
      if (i === undefined) continue;
      const last = this.ids.pop()!;
      this.at.delete(id);
      if (last !== id) {
        this.ids[i] = last;
        this.at.set(last, i);
      }
    }
  }
}

interface HoldAnswer {
  data?: { holdSeats?: { id: string; status: string; amount: number } | null } | null;
  errors?: Array<{ extensions?: { code?: string; seatId?: unknown; seatIds?: unknown } }>;
}

/** The seats a SEAT_UNAVAILABLE names as taken, if it names any. */
function takenSeats(error: NonNullable<HoldAnswer['errors']>[number]): string[] {
  const { seatId, seatIds } = error.extensions ?? {};
  if (typeof seatId === 'string') return [seatId];
  if (Array.isArray(seatIds)) return seatIds.filter((id): id is string => typeof id === 'string');
  return [];
}

export async function runHoldPhase(options: {
  gatewayUrl: string;
  scheduleId: string;
  fans: readonly Fan[];
  seats: readonly CatalogSeat[];
  concurrency: number;
  tries: number;
  /** What fans hold with: their pass (a client's way), or their queue token (OnsaleConfig.holdWith). */
  holdWith: 'pass' | 'token';
}): Promise<HoldPhaseResult> {
  const free = new FreeSeats(options.seats);
  const priceOf = new Map(options.seats.map((seat) => [seat.id, seat.price]));
  const poster = createPoster(options.gatewayUrl, options.concurrency);
  /** [start, latency] of every call: the phase's latencies, and the first wave told from the rest. */
  const calls: Array<[number, number]> = [];
  const held: HeldBooking[] = [];
  const otherErrors: Record<string, number> = {};
  let seatUnavailable = 0;
  let fansWithoutSeats = 0;
  let fansFacingSoldOut = 0;

  const holdFor = async (fan: Fan): Promise<boolean> => {
    for (let attempt = 0; attempt < options.tries; attempt += 1) {
      const seatIds = free.pick(1 + Math.floor(Math.random() * MAX_SEATS_PER_HOLD));
      if (seatIds.length === 0) {
        if (attempt === 0) fansFacingSoldOut += 1;
        else fansWithoutSeats += 1;
        return false;
      }
      const body = JSON.stringify({ query: HOLD, variables: { scheduleId: options.scheduleId, seatIds, queueToken: options.holdWith === 'token' ? fan.queueToken : (fan.admissionPass ?? fan.queueToken) } });
      const started = performance.now();
      let response: { status: number; body: string };
      try {
        response = await poster.post(body, { authorization: `Bearer ${fan.token}` });
      } catch (error) {
        response = { status: 0, body: JSON.stringify({ errors: [{ extensions: { code: `network: ${(error as Error).message}` } }] }) };
      }
      calls.push([started, performance.now() - started]);
      let answer: HoldAnswer;
      try {
        answer = JSON.parse(response.body) as HoldAnswer;
      } catch {
        answer = {};
      }
      const booking = answer.data?.holdSeats;
      if (booking) {
        free.remove(seatIds);
        const expectedAmount = seatIds.reduce((sum, id) => sum + (priceOf.get(id) ?? 0), 0);
        held.push({ bookingId: booking.id, fan, seatIds, amount: booking.amount, expectedAmount });
        return true;
      }
      const error = answer.errors?.[0];
      const code = error?.extensions?.code ?? `HTTP ${response.status}`;
      if (code !== 'SEAT_UNAVAILABLE') {
        otherErrors[code] = (otherErrors[code] ?? 0) + 1;
        fansWithoutSeats += 1;
        return false;
      }
      seatUnavailable += 1;
      free.remove(takenSeats(error!));
    }
    fansWithoutSeats += 1;
    return false;
  };

  // One closed-loop "request" is one fan's whole try; latency and rate are per holdSeats call.
  const loop = await closedLoop({ concurrency: options.concurrency, total: options.fans.length, send: (i) => holdFor(options.fans[i]!) });
  poster.close();
  const byStart = calls.sort((a, b) => a[0] - b[0]).map(([, ms]) => ms);
  const first = byStart.slice(0, options.concurrency);
  return {
    firstWave: { calls: first.length, maxMs: summarize(first).max, laterMs: summarize(byStart.slice(options.concurrency)) },
    attempts: byStart.length,
    seconds: loop.seconds,
    attemptsPerSecond: Math.round(byStart.length / loop.seconds),
    latencyMs: summarize(byStart),
    held,
    seatUnavailable,
    otherErrors,
    fansWithoutSeats,
    fansFacingSoldOut,
  };
}
