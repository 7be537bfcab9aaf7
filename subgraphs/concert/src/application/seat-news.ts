import type { Seat } from '../domain/catalog';
import { compareSeats } from '../domain/seat-map';
import type { SeatStatusChange } from '../domain/seat-projection';
import type { SeatChangesPublisher, SeatMapCache } from './ports';

/** A committed seat-status change: the change as applied (its `seatIds` are the seats that took it) and those seats as they are now. */
export interface CommittedSeatChange {
  change: SeatStatusChange;
  seats: readonly Seat[];
}

/** Tells the cache and the schedule's subscribers of a committed change; settles once both have it. */
export type SeatNews = (committed: CommittedSeatChange) => Promise<void>;

/**
 * The cache and the subscribers hear of committed seat changes together, per schedule: the
 * changes told in one turn of the event loop (the inbox consumer starts a batch's after-commit
 * steps together) are one cache script call and one message on the schedule's channel, instead of
 * a script call, its reads and writes, and a message each (issue 10: four Redis commands per
 * event, most of a hold's Redis work after the lock). The cache call is sent first, the message
 * right after without waiting for its answer: on one Redis connection (SeatChangesPublisher) they
 * go out in one write and Redis runs them in that order, so a subscriber that reads the seat map
 * on hearing the news sees the change.
 *
 * In the message a seat appears once, with the status of the change that carries the larger
 * sequence (the rule the cache and PostgreSQL apply), so changes told in any order merge to what
 * they would have ended as one by one.
 */
export function seatNews(deps: {
  cache: Pick<SeatMapCache, 'applyStatusChanges'>;
  publisher: SeatChangesPublisher;
  now?: () => Date;
  /** When the turn's changes are sent; setImmediate (after this turn's I/O callbacks and promises). */
  nextTurn?: (send: () => void) => void;
}): SeatNews {
  const now = deps.now ?? (() => new Date());
  const nextTurn = deps.nextTurn ?? ((send) => void setImmediate(send));
  let told: Array<CommittedSeatChange & { settle: { resolve: () => void; reject: (error: unknown) => void } }> = [];

  const send = () => {
    const turn = told;
    told = [];
    const bySchedule = new Map<string, typeof turn>();
    for (const one of turn) bySchedule.set(one.change.scheduleId, [...(bySchedule.get(one.change.scheduleId) ?? []), one]);
    const at = now();
    for (const [scheduleId, changes] of bySchedule) {
      const sent = Promise.all([deps.cache.applyStatusChanges(changes.map(({ change }) => change)), deps.publisher.publish(scheduleId, merged(changes), at)]);
      sent.then(
        () => changes.forEach(({ settle }) => settle.resolve()),
        (error: unknown) => changes.forEach(({ settle }) => settle.reject(error)),
      );
    }
  };

  return (committed) =>
    new Promise<void>((resolve, reject) => {
      if (told.length === 0) nextTurn(send);
      told.push({ ...committed, settle: { resolve, reject } });
    });
}

/** Each seat once, as the change with the largest sequence left it (the later one on a tie), in display order. */
function merged(changes: readonly CommittedSeatChange[]): Seat[] {
  const latest = new Map<string, { seat: Seat; sequence: number }>();
  for (const { change, seats } of changes) {
    for (const seat of seats) {
      const seen = latest.get(seat.id);
      if (!seen || seen.sequence <= change.sequence) latest.set(seat.id, { seat, sequence: change.sequence });
    }
  }
  return [...latest.values()].map(({ seat }) => seat).sort(compareSeats);
}
