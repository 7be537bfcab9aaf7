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
  intervalMs: number;
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

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = sweepOnce()
        .catch((error: unknown) => deps.logger.error({ err: error }, 'overdue sweep failed; retrying next interval'))
        .finally(schedule);
    }, deps.intervalMs);
  };

  return {
    sweepOnce,
    start() {
      if (!stopped) return;
      stopped = false;
      schedule();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
