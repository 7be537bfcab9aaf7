import type { EventEnvelope } from '@ticketing/contracts';
import type { AppendResult } from '@ticketing/event-store';

type Append = (envelopes: readonly EventEnvelope[]) => Promise<AppendResult>;

interface Waiting {
  envelopes: readonly EventEnvelope[];
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

/**
 * Archive appends that arrive while one is in flight (the archiver's partitions, handled in
 * parallel) go to the store together as the next append: one position reservation and one
 * `insertMany` instead of one each, which is what an append costs the store whatever its size
 * (on FerretDB/SQLite each write command is its own transaction). Only for archiving (unordered,
 * each event's fate independent: the unique eventId decides, streamVersion carries order).
 *
 * Each caller gets exactly its own events' outcomes, so it commits its Kafka batch only once they
 * are stored. If a combined append throws, each caller's events are appended again on their own,
 * so one bad batch fails only its own partition (redelivered), as without coalescing.
 */
export function coalesceAppends(append: Append, options: { maxEvents: number }): Append {
  let queue: Waiting[] = [];
  let running = false;

  async function drain(): Promise<void> {
    running = true;
    try {
      while (queue.length > 0) {
        // Whole callers up to maxEvents (at least one), in arrival order.
        let take = 1;
        let size = queue[0]!.envelopes.length;
        while (take < queue.length && size + queue[take]!.envelopes.length <= options.maxEvents) size += queue[take++]!.envelopes.length;
        const group = queue.slice(0, take);
        queue = queue.slice(take);
        if (group.length === 1) {
          const [only] = group;
          await append(only!.envelopes).then(only!.resolve, only!.reject);
          continue;
        }
        let combined: AppendResult;
        try {
          combined = await append(group.flatMap((waiting) => waiting.envelopes));
        } catch {
          for (const waiting of group) await append(waiting.envelopes).then(waiting.resolve, waiting.reject);
          continue;
        }
        for (const [waiting, result] of splitResult(combined, group)) waiting.resolve(result);
      }
    } finally {
      running = false;
    }
  }

  return (envelopes) =>
    new Promise<AppendResult>((resolve, reject) => {
      queue.push({ envelopes, resolve, reject });
      if (!running) void drain();
    });
}

/** Each event's outcome goes back to the caller that sent it; a repeated eventId's outcomes in order. */
function splitResult(combined: AppendResult, group: readonly Waiting[]): Array<[Waiting, AppendResult]> {
  type Outcome = { appended: AppendResult['appended'][number] } | { duplicate: string } | { conflict: AppendResult['conflicts'][number] };
  const outcomes = new Map<string, Outcome[]>();
  const push = (eventId: string, outcome: Outcome) => outcomes.set(eventId, [...(outcomes.get(eventId) ?? []), outcome]);
  for (const appended of combined.appended) push(appended.eventId, { appended });
  for (const conflict of combined.conflicts) push(conflict.eventId, { conflict });
  for (const duplicate of combined.duplicates) push(duplicate, { duplicate });
  return group.map((waiting) => {
    const result: AppendResult = { appended: [], duplicates: [], conflicts: [] };
    for (const { eventId } of waiting.envelopes) {
      const outcome = outcomes.get(eventId)?.shift();
      if (!outcome) continue;
      if ('appended' in outcome) result.appended.push(outcome.appended);
      else if ('conflict' in outcome) result.conflicts.push(outcome.conflict);
      else result.duplicates.push(outcome.duplicate);
    }
    return [waiting, result];
  });
}
