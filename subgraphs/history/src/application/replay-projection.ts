import type { Logger } from '@ticketing/platform';
import type { StoredEvent } from '@ticketing/event-store';
import type { CheckpointStore, EventSource, Lease, Projection } from './ports';
import { createProjectionRunner } from './projection-runner';

/** A projection that can be rebuilt: its apply, and how to prepare and empty its read model. */
export interface ReplayableProjection {
  projection: Projection;
  /** Creates the read model's indexes (idempotent). */
  prepare: () => Promise<void>;
  /** Drops the read model's documents and indexes. */
  reset: () => Promise<void>;
}

export interface ReplaySource extends EventSource {
  /** Every event after a position through one cursor (one query, not one per page). */
  iterateAll: (range: { after?: number; batchSize?: number }) => AsyncIterable<StoredEvent>;
}

export type ReplayOutcome =
  | { kind: 'Replayed'; projection: string; applied: number; checkpoint: number }
  /** A live runner (or another replay) holds the projection's lease: two writers would interleave. */
  | { kind: 'LeaseHeld'; projection: string };

export interface ReplayOptions {
  target: ReplayableProjection;
  source: ReplaySource;
  checkpoints: CheckpointStore;
  lease: Lease;
  logger: Logger;
  batchSize: number;
  maxGapWaitMs: number;
  /** Renew the lease after this long; well below its lifetime. */
  renewEveryMs: number;
  /** After each applied batch, with the running count. */
  onApplied?: (applied: number) => void;
  now?: () => Date;
}

/**
 * Drops one read model and its checkpoint and rebuilds it from position 0, holding the
 * projection's lease so no live runner writes meanwhile (refused, not waited for, if another
 * holds it). Two phases: the settled past through one cursor (every position recorded more than
 * `maxGapWaitMs` ago: a hole there will never fill, the runner's own rule), then the projection
 * runner itself from that checkpoint up to the high-water mark, waiting on recent holes as it does.
 */
export async function replayProjection(options: ReplayOptions): Promise<ReplayOutcome> {
  const { target, source, checkpoints, lease } = options;
  const name = target.projection.name;
  const now = options.now ?? (() => new Date());
  if (!(await lease.acquire())) return { kind: 'LeaseHeld', projection: name };
  let applied = 0;
  let stopRenewing = () => undefined as void;
  try {
    await target.reset();
    await target.prepare();
    await checkpoints.save(name, 0);

    let renewedAt = now().getTime();
    let lost = false;
    const renew = async () => {
      renewedAt = now().getTime();
      if (!(await lease.renew())) lost = true;
    };
    // Also on a timer: the cursor's first batch is one scan and sort of the whole collection on
    // FerretDB, which on a busy box outlived the lease before the first batch could renew it.
    const renewing = setInterval(() => void renew().catch(() => undefined), options.renewEveryMs);
    renewing.unref();
    stopRenewing = () => clearInterval(renewing);
    const keepLease = async () => {
      if (!lost && now().getTime() - renewedAt >= options.renewEveryMs) await renew();
      if (lost) throw new Error(`lost the lease of ${name} during the replay; run it again`);
    };
    const horizon = now().getTime() - options.maxGapWaitMs;
    let checkpoint = 0;
    let batch: StoredEvent[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      await target.projection.apply(batch);
      applied += batch.length;
      checkpoint = batch.at(-1)!.globalPosition;
      batch = [];
      await checkpoints.save(name, checkpoint);
      options.onApplied?.(applied);
      await keepLease();
    };
    for await (const event of source.iterateAll({ after: 0, batchSize: options.batchSize })) {
      if (Date.parse(event.recordedAt) >= horizon) break;
      batch.push(event);
      if (batch.length === options.batchSize) await flush();
    }
    await flush();
    // The runner renews the lease itself from here.
    stopRenewing();

    const tail = await catchUpWithRunner(options, lease, await source.highWaterMark());
    applied += tail.applied;
    options.onApplied?.(applied);
    return { kind: 'Replayed', projection: name, applied, checkpoint: tail.checkpoint };
  } finally {
    stopRenewing();
    await lease.release();
  }
}

/** The recent tail through the live runner's own loop, on the lease this replay already holds. */
async function catchUpWithRunner(options: ReplayOptions, lease: Lease, highWaterMark: number) {
  const held: Lease = { acquire: async () => true, renew: () => lease.renew(), release: async () => undefined };
  const runner = createProjectionRunner({
    projection: options.target.projection,
    source: options.source,
    checkpoints: options.checkpoints,
    lease: held,
    logger: options.logger,
    batchSize: options.batchSize,
    pollMs: 50,
    maxGapWaitMs: options.maxGapWaitMs,
    renewEveryMs: options.renewEveryMs,
    ...(options.now ? { now: options.now } : {}),
  });
  const stop = new AbortController();
  const running = runner.run(stop.signal);
  // The runner retries failures forever; a replay should fail instead, so bound the wait generously.
  const deadline = Date.now() + Math.max(60_000, options.maxGapWaitMs * 10);
  while (runner.progress().checkpoint < highWaterMark && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  stop.abort();
  await running;
  const progress = runner.progress();
  if (progress.checkpoint < highWaterMark) throw new Error(`the replay's tail did not reach position ${highWaterMark} (stopped at ${progress.checkpoint})`);
  return progress;
}
