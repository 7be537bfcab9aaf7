import { z } from 'zod';
import { querySubgraph } from '@ticketing/platform';
import type { SaleTerms, SeatCatalog } from '../../application/ports';

const TERMS_QUERY = 'query BookingSaleTerms($id: ID!) { schedule(id: $id) { maxSeatsPerFan seats { id price } } }';

const termsSchema = z.object({
  schedule: z
    .object({
      maxSeatsPerFan: z.number().int().min(1),
      seats: z.array(z.object({ id: z.string(), price: z.number().int() })),
    })
    .nullable(),
});

interface Entry {
  fetchedAt: number;
  terms: Promise<SaleTerms | null>;
}

const SALES_CLOSED_QUERY = 'query BookingSalesClosed($id: ID!) { schedule(id: $id) { salesClosedAt } }';

const salesClosedSchema = z.object({ schedule: z.object({ salesClosedAt: z.iso.datetime({ offset: true }).nullable() }).nullable() });

interface ClosedEntry {
  fetchedAt: number;
  closedAt: Promise<Date | null>;
}

/**
 * Whether an admin closed the schedule's sales (concert's closeSales), asked apart from the
 * terms: a close must stop holds within a second, not within the terms' TTL, and this answer is
 * one column of one row. Concurrent holds share one request; at most one per schedule per
 * `ttlMs` per process. Failures are not remembered.
 */
function createSalesClosedReader(options: { concertUrl: string; ttlMs: number; timeoutMs: number }) {
  const entries = new Map<string, ClosedEntry>();
  const ask = async (scheduleId: string): Promise<Date | null> => {
    const { schedule } = await querySubgraph(options.concertUrl, {
      subgraph: 'concert',
      query: SALES_CLOSED_QUERY,
      variables: { id: scheduleId },
      data: salesClosedSchema,
      timeoutMs: options.timeoutMs,
    });
    const closedAt = schedule?.salesClosedAt;
    return closedAt ? new Date(closedAt) : null;
  };
  return (scheduleId: string): Promise<Date | null> => {
    const cached = entries.get(scheduleId);
    if (cached && Date.now() - cached.fetchedAt <= options.ttlMs) return cached.closedAt;
    const entry: ClosedEntry = { fetchedAt: Date.now(), closedAt: ask(scheduleId) };
    entries.set(scheduleId, entry);
    entry.closedAt.catch(() => entries.get(scheduleId) === entry && entries.delete(scheduleId));
    return entry.closedAt;
  };
}

/**
 * Seat prices and the per-fan cap come from the concert subgraph (it owns schedules and seats),
 * one request per schedule: an on-sale sends thousands of holds for one schedule, so a
 * schedule's terms are kept in-process and concurrent holds share one request. A hold naming a
 * seat the list lacks refreshes it (at most once per `missRefreshMs`), so a seat added a moment
 * ago is found. Whether sales are closed is asked apart, fresher (`salesClosedTtlMs`, 1 s): see
 * createSalesClosedReader.
 *
 * Terms younger than `ttlMs` are used as they are. Between `ttlMs` and `maxAgeMs` they are still
 * used, while one request in the background fetches them again: a 4,000-seat schedule's terms
 * cost concert about 30 ms of CPU and the answer is 240 kB, and holds that waited for each
 * refresh stalled every in-flight hold once per TTL in the middle of an on-sale. Older than
 * `maxAgeMs` (the first hold after a quiet spell), a hold waits for fresh terms as before, so a
 * changed price or cap reaches new holds within `maxAgeMs` whatever the traffic.
 */
export function createConcertSeatCatalog(options: {
  concertUrl: string;
  ttlMs?: number;
  maxAgeMs?: number;
  missRefreshMs?: number;
  salesClosedTtlMs?: number;
  timeoutMs?: number;
}): SeatCatalog {
  const ttlMs = options.ttlMs ?? 20_000;
  const maxAgeMs = Math.max(ttlMs, options.maxAgeMs ?? 30_000);
  const salesClosedAt = createSalesClosedReader({ concertUrl: options.concertUrl, ttlMs: options.salesClosedTtlMs ?? 1_000, timeoutMs: options.timeoutMs ?? 3_000 });
  const missRefreshMs = options.missRefreshMs ?? 2_000;
  const entries = new Map<string, Entry>();

  const fetchTerms = async (scheduleId: string): Promise<SaleTerms | null> => {
    const { schedule } = await querySubgraph(options.concertUrl, {
      subgraph: 'concert',
      query: TERMS_QUERY,
      variables: { id: scheduleId },
      data: termsSchema,
      timeoutMs: options.timeoutMs ?? 3_000,
    });
    return schedule ? { seatPrices: new Map(schedule.seats.map((seat) => [seat.id, seat.price])), maxSeatsPerFan: schedule.maxSeatsPerFan } : null;
  };

  const load = (scheduleId: string): Entry => {
    const entry: Entry = { fetchedAt: Date.now(), terms: fetchTerms(scheduleId) };
    entries.set(scheduleId, entry);
    // A failure is not remembered: the next hold asks again.
    entry.terms.catch(() => entries.get(scheduleId) === entry && entries.delete(scheduleId));
    return entry;
  };

  /** Schedules whose terms are being fetched again behind the ones in use: one request each at a time. */
  const refreshing = new Set<string>();
  const refreshInBackground = (scheduleId: string, stale: Entry): void => {
    if (refreshing.has(scheduleId)) return;
    refreshing.add(scheduleId);
    const fetchedAt = Date.now();
    fetchTerms(scheduleId)
      .then(
        (terms) => {
          // Unless a hold has loaded newer terms meanwhile (a missing seat, say).
          if (entries.get(scheduleId) === stale) entries.set(scheduleId, { fetchedAt, terms: Promise.resolve(terms) });
        },
        // The stale terms stay until maxAgeMs; the next hold tries again.
        () => undefined,
      )
      .finally(() => refreshing.delete(scheduleId));
  };

  const entryFor = (scheduleId: string): Entry => {
    const entry = entries.get(scheduleId);
    if (!entry) return load(scheduleId);
    const age = Date.now() - entry.fetchedAt;
    if (age > maxAgeMs) return load(scheduleId);
    if (age > ttlMs) refreshInBackground(scheduleId, entry);
    return entry;
  };

  return {
    async saleTerms(scheduleId, wanted) {
      const closed = salesClosedAt(scheduleId);
      const entry = entryFor(scheduleId);
      const cached = await entry.terms;
      const missing = !cached || wanted.some((id) => !cached.seatPrices.has(id));
      const terms = missing && Date.now() - entry.fetchedAt > missRefreshMs ? await load(scheduleId).terms : cached;
      return terms && { ...terms, salesClosedAt: await closed };
    },
  };
}
