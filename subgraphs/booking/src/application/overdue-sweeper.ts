import { randomUUID } from 'node:crypto';
import type { Logger } from '@ticketing/platform';
import { cancel, expire } from '../domain/booking';
import type { BookingWriter } from './ports';
import { recordStep } from './record-transition';

export interface OverdueSweeper {
  /** One pass over both deadlines; returns how many bookings it ended. */
  sweepOnce: () => Promise<number>;
  start: () => void;
  stop: () => Promise<void>;
}

/**
 * Ends bookings whose deadline passed: HELD past `heldUntil` → EXPIRED, and PAYMENT_PENDING
 * longer than the payment timeout → CANCELLED (a payment that completes later is refunded).
 * Every instance may run one: `FOR UPDATE SKIP LOCKED` hands each overdue row to one sweeper,
 * and the transition itself is guarded by status and deadline, so a row paid a moment before
 * its deadline is never expired.
 */
export function createOverdueSweeper(deps: {
  writer: BookingWriter;
  paymentTimeoutSeconds: number;
  /** The shortest pause between passes (and the cadence when `nextDeadline` is not given). */
  intervalMs: number;
  /**
   * When the next booking falls due (null: none pending). Given with `holdTtlSeconds`, the sweeper
   * sleeps until then instead of scanning every interval (issue 10): a booking held or sent to
   * payment after the read falls due at least min(hold TTL, payment timeout) later, so the sleep
   * is capped there and stays exact for every instance running with the same settings.
   */
  nextDeadline?: () => Promise<Date | null>;
  holdTtlSeconds?: number;
  batchSize?: number;
  logger: Logger;
  /** Called after a pass that wrote events, so the relay publishes them without waiting. */
  onSwept?: () => void;
  now?: () => Date;
}): OverdueSweeper {
  const now = deps.now ?? (() => new Date());
  const batchSize = deps.batchSize ?? 100;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = true;

  const sweepHolds = () =>
    deps.writer.transaction(async (tx) => {
      const at = now();
      const overdue = await tx.lockOverdue('HELD', at, batchSize);
      for (const booking of overdue) {
        const decided = expire(booking, at);
        if (decided.kind === 'Transitioned') await recordStep(tx, booking, decided, { correlationId: `sweeper:${randomUUID()}`, causationId: null });
      }
      return overdue.length;
    });

  const sweepPayments = () =>
    deps.writer.transaction(async (tx) => {
      const at = now();
      const overdue = await tx.lockOverdue('PAYMENT_PENDING', new Date(at.getTime() - deps.paymentTimeoutSeconds * 1000), batchSize);
      for (const booking of overdue) {
        const decided = cancel(booking, { kind: 'PaymentTimedOut' }, at);
        if (decided.kind === 'Transitioned') await recordStep(tx, booking, decided, { correlationId: `sweeper:${randomUUID()}`, causationId: null });
      }
      return overdue.length;
    });

  async function sweepOnce(): Promise<number> {
    let total = 0;
    // A full batch means more are waiting: keep going in this pass.
    for (const sweep of [sweepHolds, sweepPayments]) {
      let ended: number;
      do {
        ended = await sweep();
        total += ended;
      } while (ended === batchSize);
    }
    if (total > 0) {
      deps.logger.info({ ended: total }, 'overdue bookings ended');
      deps.onSwept?.();
    }
    return total;
  }

  /** How long to sleep after a pass: until the next deadline (a few ms past it), within [intervalMs, the cap]. */
  const pauseMs = async (): Promise<number> => {
    if (!deps.nextDeadline || deps.holdTtlSeconds === undefined) return deps.intervalMs;
    const capMs = Math.max(deps.intervalMs, Math.min(deps.holdTtlSeconds, deps.paymentTimeoutSeconds) * 1000);
    const next = await deps.nextDeadline();
    const untilDue = next === null ? capMs : next.getTime() - now().getTime() + 5;
    return Math.min(capMs, Math.max(deps.intervalMs, untilDue));
  };

  const schedule = (delayMs: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      let delay = deps.intervalMs;
      running = sweepOnce()
        .then(async () => {
          delay = await pauseMs();
        })
        .catch((error: unknown) => deps.logger.error({ err: error }, 'overdue sweep failed; retrying next interval'))
        .finally(() => schedule(delay));
    }, delayMs);
  };

  return {
    sweepOnce,
    start() {
      if (!stopped) return;
      stopped = false;
      schedule(deps.intervalMs);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
