import { z } from 'zod';
import { querySubgraph } from '@ticketing/platform';
import type { ScheduleCatalog, ScheduleFacts } from '../../application/ports';

const SCHEDULE_QUERY = 'query QueueScheduleFacts($id: ID!) { schedule(id: $id) { id bookingOpensAt } }';

const scheduleSchema = z.object({ schedule: z.object({ id: z.string(), bookingOpensAt: z.iso.datetime() }).nullable() });

/** Distinct schedules remembered per process; far more than are ever on sale at once. */
const MAX_ENTRIES = 10_000;

interface Entry {
  /** Until when the answer may be reused; Infinity while the question is still in flight. */
  until: number;
  answer: Promise<ScheduleFacts | null>;
}

/**
 * Asks the concert subgraph (it owns schedules) over its GraphQL endpoint, service to service.
 * An on-sale sends thousands of arrivals for one schedule within seconds, so answers are
 * cached in-process and concurrent questions share one request: known schedules for
 * `knownTtlMs` (a changed opening time shows up within that), unknown ones briefly, so a
 * schedule created a moment ago is found soon. Failures are not cached.
 */
export function createConcertScheduleCatalog(options: {
  url: string;
  knownTtlMs?: number;
  unknownTtlMs?: number;
  timeoutMs?: number;
  now?: () => number;
}): ScheduleCatalog {
  const knownTtlMs = options.knownTtlMs ?? 30_000;
  const unknownTtlMs = options.unknownTtlMs ?? 2_000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();

  const ask = async (scheduleId: string): Promise<ScheduleFacts | null> => {
    const { schedule } = await querySubgraph(options.url, {
      subgraph: 'concert',
      query: SCHEDULE_QUERY,
      variables: { id: scheduleId },
      data: scheduleSchema,
      timeoutMs: options.timeoutMs ?? 3_000,
    });
    return schedule ? { id: schedule.id, bookingOpensAt: new Date(schedule.bookingOpensAt) } : null;
  };

  return {
    find(scheduleId) {
      const cached = entries.get(scheduleId);
      if (cached && cached.until > now()) return cached.answer;
      const entry: Entry = { until: Number.POSITIVE_INFINITY, answer: ask(scheduleId) };
      entries.delete(scheduleId);
      if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
      entries.set(scheduleId, entry);
      entry.answer.then(
        (facts) => {
          entry.until = now() + (facts ? knownTtlMs : unknownTtlMs);
        },
        () => {
          if (entries.get(scheduleId) === entry) entries.delete(scheduleId);
        },
      );
      return entry.answer;
    },
  };
}
