import { z } from 'zod';
import { entityIdSchema } from './envelope';

/**
 * Events of the SeatBlock aggregate: seats an admin holds back from sale (VIP, production
 * holds), published by the booking subgraph on `seat-block.events` (stream
 * `{ type: 'seat-block', id: blockId }`, one per `blockSeats` call). Booking owns them because a
 * block is a claim in the same fence as a fan's hold: a seat has at most one live claim of
 * either kind. Not on `booking.events`: its consumers read only the booking saga's events.
 */

/** At most this many seats in one blockSeats or releaseSeats call (one event, one Redis lock script). */
export const MAX_SEATS_PER_BLOCK = 500;

const seatIds = z
  .array(entityIdSchema)
  .min(1)
  .max(MAX_SEATS_PER_BLOCK)
  .refine((ids) => new Set(ids).size === ids.length, 'seat ids must be unique');
/**
 * The booking subgraph's seat sequence, shared with SeatsHeld and the booking transitions: for
 * any one seat a later claim change (hold, block, release, ...) carries a larger number.
 */
const seatSequence = z.int().min(1);

export const SeatsBlockedV1 = z.object({
  blockId: entityIdSchema,
  scheduleId: entityIdSchema,
  seatIds,
  /** Why, for people and dashboards (VIP, production); consumers must not branch on it. */
  reason: z.string().min(1).max(500),
  /** The admin who blocked them. */
  blockedBy: entityIdSchema,
  seatSequence,
});

export const SeatsReleasedV1 = z.object({
  blockId: entityIdSchema,
  scheduleId: entityIdSchema,
  /** The seats of this block put back on sale (a release may free part of a block). */
  seatIds,
  releasedBy: entityIdSchema,
  seatSequence,
});

export type SeatsBlocked = z.infer<typeof SeatsBlockedV1>;
export type SeatsReleased = z.infer<typeof SeatsReleasedV1>;

export const SEAT_BLOCK_EVENT_TYPES = ['SeatsBlocked', 'SeatsReleased'] as const;
export type SeatBlockEventType = (typeof SEAT_BLOCK_EVENT_TYPES)[number];
