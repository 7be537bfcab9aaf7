import { takeContiguous, type PendingGap } from '@ticketing/event-store';

/**
 * When each missing position was first seen. `takeContiguous` remembers only the hole right
 * after the checkpoint, so holes further on would start their wait one after another: with a
 * hole per redelivered batch the projection would fall behind by a whole wait per hole. With
 * every hole's own first sighting, all of them expire together, one wait after they appeared.
 */
export function createGapClock() {
  const firstSeen = new Map<number, Date>();
  return {
    /** Notes the positions in (checkpoint, upTo] that `page` lacks, and forgets those at or below the checkpoint. */
    observe(checkpoint: number, page: readonly { globalPosition: number }[], upTo: number, now: Date): void {
      for (const position of firstSeen.keys()) if (position <= checkpoint) firstSeen.delete(position);
      const present = new Set(page.map((event) => event.globalPosition));
      for (let position = checkpoint + 1; position <= upTo; position++) {
        if (present.has(position)) firstSeen.delete(position);
        else if (!firstSeen.has(position)) firstSeen.set(position, now);
      }
    },
    /** The hole right after the checkpoint, dated by its first sighting; null when there is none. */
    gapAfter(checkpoint: number): PendingGap | null {
      const noticedAt = firstSeen.get(checkpoint + 1);
      if (!noticedAt) return null;
      // Only positions seen missing as early: a later-noticed one keeps its own, later deadline.
      let to = checkpoint + 1;
      while ((firstSeen.get(to + 1)?.getTime() ?? Infinity) <= noticedAt.getTime()) to++;
      return { from: checkpoint + 1, to, noticedAt };
    },
  };
}

export type GapClock = ReturnType<typeof createGapClock>;

/**
 * `takeContiguous` over a whole page with every hole on its own clock: the events a reader may
 * handle now, the checkpoint after them, and the positions given up on.
 */
export function takeAcrossGaps<T extends { globalPosition: number }>(
  clock: GapClock,
  input: { checkpoint: number; page: readonly T[]; highWaterMark: number; pageFull: boolean; now: Date; maxGapWaitMs: number },
) {
  // Everything up to the high-water mark was looked at when the page came back short.
  const seenUpTo = input.pageFull ? (input.page.at(-1)?.globalPosition ?? input.checkpoint) : input.highWaterMark;
  clock.observe(input.checkpoint, input.page, seenUpTo, input.now);
  const events: T[] = [];
  const skipped: { from: number; to: number }[] = [];
  let checkpoint = input.checkpoint;
  let pendingGap: PendingGap | null = null;
  // One call steps over at most one expired hole; go on while the holes behind it have expired too.
  for (;;) {
    const outcome = takeContiguous({ ...input, checkpoint, pendingGap: clock.gapAfter(checkpoint) });
    events.push(...outcome.events);
    skipped.push(...outcome.skipped);
    pendingGap = outcome.pendingGap;
    if (outcome.checkpoint === checkpoint) break;
    checkpoint = outcome.checkpoint;
  }
  return { events, checkpoint, pendingGap, skipped };
}
