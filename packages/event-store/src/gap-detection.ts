/**
 * Positions are unique and increasing but not gapless: a block is reserved before its insert,
 * so a missing position is either still being written or will never exist (a failed insert, a
 * duplicate that was skipped). A reader that must not miss events waits a bounded time for a
 * missing position, then treats it as a gap. This decides that, purely, from what was read.
 */

/** Positions `from`..`to` were missing (and already reserved) when the reader first noticed them. */
export interface PendingGap {
  from: number;
  to: number;
  noticedAt: Date;
}

export interface ContiguousInput<T extends { globalPosition: number }> {
  /** The last position the reader has handled (0 before the first event). */
  checkpoint: number;
  /** Events after the checkpoint, in position order (`readAll({ after: checkpoint })`). */
  page: readonly T[];
  /** The store's high-water mark read before the page: every position up to it is reserved. */
  highWaterMark: number;
  /** The gap this reader was already waiting on, from its previous call. */
  pendingGap: PendingGap | null;
  now: Date;
  maxGapWaitMs: number;
}

export interface ContiguousOutcome<T> {
  /** Handle these, in order; then store `checkpoint`. */
  events: T[];
  checkpoint: number;
  /** Still waiting on these positions: read again later and pass this back. */
  pendingGap: PendingGap | null;
  /** Positions given up on in this call (for a log line or a metric). */
  skipped: { from: number; to: number }[];
}

/**
 * The events a gap-aware reader may handle now: the run that follows the checkpoint without a
 * hole, stepping over a hole only once it has been missing for `maxGapWaitMs`. A hole at the
 * tail (reserved up to the high-water mark, nothing visible yet) starts its clock too, so a
 * skipped duplicate at the end of a batch does not delay the next event by a whole wait.
 */
export function takeContiguous<T extends { globalPosition: number }>(input: ContiguousInput<T>): ContiguousOutcome<T> {
  const events: T[] = [];
  const skipped: { from: number; to: number }[] = [];
  let checkpoint = input.checkpoint;
  let pending = input.pendingGap;
  const expired = (gap: PendingGap) => input.now.getTime() - gap.noticedAt.getTime() >= input.maxGapWaitMs;
  /** The hole starting right after the checkpoint, keeping the clock of an earlier notice that covers it. */
  const holeUpTo = (to: number): PendingGap =>
    pending && pending.from <= checkpoint + 1 && checkpoint + 1 <= pending.to
      ? { from: checkpoint + 1, to: pending.to, noticedAt: pending.noticedAt }
      : { from: checkpoint + 1, to, noticedAt: input.now };

  for (const event of input.page) {
    if (event.globalPosition <= checkpoint) continue;
    while (event.globalPosition > checkpoint + 1) {
      const gap = holeUpTo(event.globalPosition - 1);
      if (!expired(gap)) return { events, checkpoint, pendingGap: gap, skipped };
      // Only what was noticed then is given up; positions reserved later get their own wait.
      const to = Math.min(gap.to, event.globalPosition - 1);
      skipped.push({ from: gap.from, to });
      checkpoint = to;
      pending = null;
    }
    events.push(event);
    checkpoint = event.globalPosition;
  }
  if (input.highWaterMark > checkpoint) return { events, checkpoint, pendingGap: holeUpTo(input.highWaterMark), skipped };
  return { events, checkpoint, pendingGap: null, skipped };
}
