import { z } from 'zod';
import type { SaleTerms, SeatCatalog } from '../../application/ports';

const TERMS_QUERY = 'query BookingSaleTerms($id: ID!) { schedule(id: $id) { maxSeatsPerFan seats { id price } } }';

const responseSchema = z.object({
  data: z
    .object({
      schedule: z
        .object({
          maxSeatsPerFan: z.number().int().min(1),
          seats: z.array(z.object({ id: z.string(), price: z.number().int() })),
        })
        .nullable(),
    })
    .nullish(),
  errors: z.array(z.object({ message: z.string() })).optional(),
});

interface Entry {
  fetchedAt: number;
  terms: Promise<SaleTerms | null>;
}

/**
 * Seat prices and the per-fan cap come from the concert subgraph (it owns schedules and seats),
 * one request per schedule: an on-sale sends thousands of holds for one schedule, so a
 * schedule's terms are kept in-process for `ttlMs` and concurrent holds share one request (a
 * changed cap applies within `ttlMs`). A hold naming a seat the list lacks refreshes it (at most
 * once per `missRefreshMs`), so a seat added a moment ago is found.
 */
export function createConcertSeatCatalog(options: { concertUrl: string; ttlMs?: number; missRefreshMs?: number; timeoutMs?: number }): SeatCatalog {
  const ttlMs = options.ttlMs ?? 30_000;
  const missRefreshMs = options.missRefreshMs ?? 2_000;
  const entries = new Map<string, Entry>();

  const fetchTerms = async (scheduleId: string): Promise<SaleTerms | null> => {
    const response = await fetch(options.concertUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: TERMS_QUERY, variables: { id: scheduleId } }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 3_000),
    });
    if (!response.ok) throw new Error(`concert subgraph answered HTTP ${response.status}`);
    const body = responseSchema.parse(await response.json());
    if (body.errors?.length) throw new Error(`concert subgraph: ${body.errors.map((e) => e.message).join('; ')}`);
    const schedule = body.data?.schedule;
    return schedule ? { seatPrices: new Map(schedule.seats.map((seat) => [seat.id, seat.price])), maxSeatsPerFan: schedule.maxSeatsPerFan } : null;
  };

  const load = (scheduleId: string): Entry => {
    const entry: Entry = { fetchedAt: Date.now(), terms: fetchTerms(scheduleId) };
    entries.set(scheduleId, entry);
    // A failure is not remembered: the next hold asks again.
    entry.terms.catch(() => entries.get(scheduleId) === entry && entries.delete(scheduleId));
    return entry;
  };

  return {
    async saleTerms(scheduleId, wanted) {
      let entry = entries.get(scheduleId);
      if (!entry || Date.now() - entry.fetchedAt > ttlMs) entry = load(scheduleId);
      const terms = await entry.terms;
      const missing = !terms || wanted.some((id) => !terms.seatPrices.has(id));
      if (missing && Date.now() - entry.fetchedAt > missRefreshMs) return load(scheduleId).terms;
      return terms;
    },
  };
}
