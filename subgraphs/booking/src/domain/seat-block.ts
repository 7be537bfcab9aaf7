import { MAX_SEATS_PER_BLOCK, type EventPayload } from '@ticketing/contracts';
import { checkSeatSelection, trimmedReason, type DuplicateSeats, type NoSeats, type ReasonRequired, type TooManySeats } from './booking';

/**
 * The SeatBlock aggregate: seats of one schedule an admin holds back from sale (VIP, production
 * holds). A block is a claim in the same fence as a fan's hold, so a seat is held, sold or
 * blocked, never two of them. Deciders are pure: they take what the fence says is claimed now
 * and `now`, and return the block's next state with its events or a named refusal. The seat
 * sequence of the events is drawn by the application after the claims are written, as for holds.
 */

export interface SeatBlock {
  id: string;
  scheduleId: string;
  reason: string;
  blockedBy: string;
  /** Sorted: locks are taken and events listed in one order. */
  seatIds: readonly string[];
  /** 0 after SeatsBlocked, +1 per SeatsReleased: the stream version of its last event. */
  version: number;
}

type WithoutSequence<T> = Omit<T, 'seatSequence'>;
export type SeatBlockEvent =
  | { type: 'SeatsBlocked'; payload: WithoutSequence<EventPayload<'SeatsBlocked'>> }
  | { type: 'SeatsReleased'; payload: WithoutSequence<EventPayload<'SeatsReleased'>> };

/** A step of one block's stream: its version after the step and the event it publishes. */
export interface SeatBlockStep {
  blockId: string;
  version: number;
  seatIds: readonly string[];
  at: Date;
  events: readonly SeatBlockEvent[];
}

/** Some seats already have a live claim (a fan's hold or sale, or another block): nothing is blocked. */
export type SeatsUnavailable = { kind: 'SeatsUnavailable'; seatIds: string[] };
/** Some seats asked to be released are not blocked now: nothing is released. */
export type SeatsNotBlocked = { kind: 'SeatsNotBlocked'; seatIds: string[] };

/** How many and which seats one block or release names, checked before anything is looked up. */
export const checkBlockSelection = (seatIds: readonly string[]) => checkSeatSelection(seatIds, MAX_SEATS_PER_BLOCK);

export interface BlockRequest {
  blockId: string;
  scheduleId: string;
  seatIds: readonly string[];
  reason: string;
  blockedBy: string;
}

export type Blocked = { kind: 'Blocked'; block: SeatBlock; step: SeatBlockStep };

/**
 * Blocks every seat or none. `claimed`: the requested seats that have a live claim now, as the
 * fence reads them under the seat locks (the unique index still refuses a claim it missed).
 */
export function block(request: BlockRequest, claimed: readonly string[], now: Date): Blocked | NoSeats | TooManySeats | DuplicateSeats | ReasonRequired | SeatsUnavailable {
  const badSelection = checkBlockSelection(request.seatIds);
  if (badSelection) return badSelection;
  const reason = trimmedReason(request.reason);
  if (typeof reason !== 'string') return reason;
  const seatIds = [...request.seatIds].sort();
  const taken = seatIds.filter((seatId) => claimed.includes(seatId));
  if (taken.length > 0) return { kind: 'SeatsUnavailable', seatIds: taken };
  const blocked: SeatBlock = { id: request.blockId, scheduleId: request.scheduleId, reason, blockedBy: request.blockedBy, seatIds, version: 0 };
  return {
    kind: 'Blocked',
    block: blocked,
    step: {
      blockId: blocked.id,
      version: 0,
      seatIds,
      at: now,
      events: [{ type: 'SeatsBlocked', payload: { blockId: blocked.id, scheduleId: blocked.scheduleId, seatIds: [...seatIds], reason, blockedBy: blocked.blockedBy } }],
    },
  };
}

/** A live block claim of a seat, with the version its block is at. */
export interface BlockClaim {
  seatId: string;
  blockId: string;
  blockVersion: number;
}

export type Released = { kind: 'Released'; steps: SeatBlockStep[] };

/**
 * Releases every seat or none: each must be blocked now (`blocked`: the live block claims of the
 * requested seats, read with their blocks locked). One SeatsReleased per block touched, so each
 * block's stream stays its own and a partial release keeps the rest of the block.
 */
export function release(
  request: { scheduleId: string; seatIds: readonly string[]; releasedBy: string },
  blocked: readonly BlockClaim[],
  now: Date,
): Released | NoSeats | TooManySeats | DuplicateSeats | SeatsNotBlocked {
  const badSelection = checkBlockSelection(request.seatIds);
  if (badSelection) return badSelection;
  const bySeat = new Map(blocked.map((claim) => [claim.seatId, claim]));
  const seatIds = [...request.seatIds].sort();
  const notBlocked = seatIds.filter((seatId) => !bySeat.has(seatId));
  if (notBlocked.length > 0) return { kind: 'SeatsNotBlocked', seatIds: notBlocked };
  const byBlock = new Map<string, { version: number; seatIds: string[] }>();
  for (const seatId of seatIds) {
    const claim = bySeat.get(seatId)!;
    const entry = byBlock.get(claim.blockId) ?? { version: claim.blockVersion, seatIds: [] };
    entry.seatIds.push(seatId);
    byBlock.set(claim.blockId, entry);
  }
  const steps = [...byBlock.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([blockId, { version, seatIds: released }]): SeatBlockStep => ({
      blockId,
      version: version + 1,
      seatIds: released,
      at: now,
      events: [{ type: 'SeatsReleased', payload: { blockId, scheduleId: request.scheduleId, seatIds: released, releasedBy: request.releasedBy } }],
    }));
  return { kind: 'Released', steps };
}
