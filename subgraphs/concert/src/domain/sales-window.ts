import { SalesClosedV1 } from '@ticketing/contracts';
import { invalidInput, type InvalidInput, type Schedule } from './catalog';
import type { CatalogEvent } from './catalog-events';

/**
 * Whether a schedule is on sale, as an admin steers it: `closeSales` stops the sale (the queue
 * takes no arrivals and admits nobody, holds are refused) and `openSales` resumes it, opening at
 * once a sale whose `bookingOpensAt` is still ahead. Both are decided against the locked row, and
 * both are idempotent: a move to where the schedule already is changes nothing and publishes
 * nothing, so a stream's `SalesClosed` and `SalesOpened` alternate and its last one is the state.
 */
export type SalesWindowOutcome =
  | { kind: 'SalesWindowChanged'; schedule: Schedule; events: CatalogEvent[] }
  | { kind: 'SalesWindowUnchanged'; schedule: Schedule };

/** The contract's bound on a reason (trimmed, 1 to 500 characters): one rule, one place. */
const reasonSchema = SalesClosedV1.shape.reason;
export const MAX_CLOSE_REASON_LENGTH = reasonSchema.maxLength ?? 500;

/** The reason as it will be published, or why not. */
export function parseCloseReason(reason: string): string | InvalidInput {
  const parsed = reasonSchema.safeParse(reason);
  return parsed.success ? parsed.data : invalidInput('reason', `reason must be 1 to ${MAX_CLOSE_REASON_LENGTH} characters (surrounding spaces are trimmed)`);
}

/** Closed sales stay closed (the first close's time and reason stand); open ones close now. */
export function closeSales(schedule: Schedule, request: { reason: string; closedBy: string }, now: Date): SalesWindowOutcome {
  if (schedule.salesClosedAt) return { kind: 'SalesWindowUnchanged', schedule };
  return {
    kind: 'SalesWindowChanged',
    schedule: { ...schedule, salesClosedAt: now },
    events: [{ type: 'SalesClosed', payload: { scheduleId: schedule.id, closedAt: now.toISOString(), reason: request.reason, closedBy: request.closedBy } }],
  };
}

/**
 * Lifts a close and brings a future opening forward to now; an opening that has passed stays
 * where it is (moving it would rewrite when the sale began). bookingOpensAt <= startsAt still
 * holds: the opening only ever moves earlier.
 */
export function openSales(schedule: Schedule, request: { openedBy: string }, now: Date): SalesWindowOutcome {
  const opensLater = schedule.bookingOpensAt.getTime() > now.getTime();
  if (!schedule.salesClosedAt && !opensLater) return { kind: 'SalesWindowUnchanged', schedule };
  const bookingOpensAt = opensLater ? now : schedule.bookingOpensAt;
  return {
    kind: 'SalesWindowChanged',
    schedule: { ...schedule, bookingOpensAt, salesClosedAt: null },
    events: [
      {
        type: 'SalesOpened',
        payload: { scheduleId: schedule.id, openedAt: now.toISOString(), bookingOpensAt: bookingOpensAt.toISOString(), openedBy: request.openedBy },
      },
    ],
  };
}
