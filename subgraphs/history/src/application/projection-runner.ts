import type { Logger } from '@ticketing/platform';
import { silentBell, type Bell } from './doorbell';
import { createGapClock, takeAcrossGaps } from './gap-clock';
import type { CheckpointStore, EventSource, Lease, Projection } from './ports';

export interface ProjectionRunnerOptions {
  projection: Projection;
  source: EventSource;
  checkpoints: CheckpointStore;
  lease: Lease;
  logger: Logger;
  /** Events read (and applied) per round. */
  batchSize: number;
  /** Pause when caught up (unless the bell rings first), and between attempts to take the lease. */
  pollMs: number;
  /** Rung when new events were archived in this process. */
  bell?: Bell;
  /**
   * A caught-up runner woken by the bell starts its next round no sooner than this after the
   * previous one began: during an on-sale the archiver rings many times a second, and every round
   * costs the store a high-water-mark read, a page read (a scan on FerretDB), the apply and a
   * checkpoint write whatever the page holds, so fewer, fuller pages cost far less. 0: at once.
   */
  minRoundIntervalMs?: number;
  /** Waits, abortably (tests pass a fake). */
  wait?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** How long a missing position is waited for before it is skipped (ADR 0007). */
  maxGapWaitMs: number;
  /** Renew the lease after this long; well below its lifetime. */
  renewEveryMs: number;
  now?: () => Date;
}

export interface RunnerProgress {
  leader: boolean;
  checkpoint: number;
  /** Events handed to `apply` by this runner since it started (re-applied ones included). */
  applied: number;
}

/**
 * Keeps one projection up to date from the store, by global position: read a page after the
 * checkpoint, keep the contiguous run (`takeContiguous`), apply it, then save the checkpoint.
 * Only the lease holder runs; the others wait to take over. A crash between apply and save
 * re-applies that page on the next start, which the idempotent `apply` turns into no-ops.
 */
export function createProjectionRunner(options: ProjectionRunnerOptions) {
  const { projection, source, checkpoints, lease, logger } = options;
  const now = options.now ?? (() => new Date());
  const progress: RunnerProgress = { leader: false, checkpoint: 0, applied: 0 };
  const log = logger.child({ projection: projection.name });
  const gaps = createGapClock();
  const bell = options.bell ?? silentBell();
  const sleep = (ms: number, signal: AbortSignal) => bell.nap(ms, signal);
  const minRoundIntervalMs = options.minRoundIntervalMs ?? 0;
  const wait = options.wait ?? abortableWait;
  let lastRoundAt = Number.NEGATIVE_INFINITY;

  async function round(state: { renewedAt: number }, signal: AbortSignal): Promise<'caught-up' | 'more'> {
    lastRoundAt = now().getTime();
    if (now().getTime() - state.renewedAt >= options.renewEveryMs) {
      if (!(await lease.renew())) {
        log.warn('projection lease lost; waiting to take it again');
        progress.leader = false;
        return 'caught-up';
      }
      state.renewedAt = now().getTime();
    }
    // The high-water mark first: everything up to it was reserved before the page was read.
    const highWaterMark = await source.highWaterMark();
    // Nothing reserved past the checkpoint: skip the page read (a collection scan on FerretDB).
    if (highWaterMark <= progress.checkpoint) return 'caught-up';
    // What this process archived itself comes back from memory (the same events up to the mark).
    const page = await source.readAll({ after: progress.checkpoint, limit: options.batchSize, upTo: highWaterMark });
    const { events, checkpoint, pendingGap, skipped } = takeAcrossGaps(gaps, {
      checkpoint: progress.checkpoint,
      page,
      highWaterMark,
      pageFull: page.length === options.batchSize,
      now: now(),
      maxGapWaitMs: options.maxGapWaitMs,
    });
    for (const gap of skipped) log.warn(gap, 'positions never written within the gap wait; skipped');
    if (events.length > 0) {
      await projection.apply(events);
      progress.applied += events.length;
    }
    if (signal.aborted) return 'caught-up';
    if (checkpoint !== progress.checkpoint) {
      await checkpoints.save(projection.name, checkpoint);
      progress.checkpoint = checkpoint;
    }
    return page.length === options.batchSize && pendingGap === null ? 'more' : 'caught-up';
  }

  return {
    progress: (): RunnerProgress => ({ ...progress }),

    /** Runs until `signal` aborts; store or Redis failures are logged and retried, never fatal. */
    async run(signal: AbortSignal): Promise<void> {
      const state = { renewedAt: 0 };
      while (!signal.aborted) {
        try {
          if (!progress.leader) {
            if (!(await lease.acquire())) {
              await sleep(options.pollMs, signal);
              continue;
            }
            progress.leader = true;
            state.renewedAt = now().getTime();
            progress.checkpoint = await checkpoints.load(projection.name);
            log.info({ checkpoint: progress.checkpoint }, 'projection lease taken; resuming from the checkpoint');
          }
          if ((await round(state, signal)) === 'caught-up') {
            await sleep(options.pollMs, signal);
            // Woken early by the bell: let more events gather before the next round.
            const early = lastRoundAt + minRoundIntervalMs - now().getTime();
            if (early > 0 && !signal.aborted) await wait(early, signal);
          }
        } catch (error) {
          if (signal.aborted) break;
          log.error({ err: error }, 'projection round failed; retrying');
          await sleep(options.pollMs * 5, signal);
        }
      }
      if (progress.leader) {
        progress.leader = false;
        await lease.release().catch((error: unknown) => log.warn({ err: error }, 'could not release the projection lease (it will lapse)'));
      }
    },
  };
}

export type ProjectionRunner = ReturnType<typeof createProjectionRunner>;

function abortableWait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}
