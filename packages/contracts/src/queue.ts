import { z } from 'zod';
import { entityIdSchema } from './envelope';

/**
 * Events of the waiting room, published by the queue subgraph. Two kinds of stream, so that every
 * stream stays gapless without queue processes coordinating:
 *
 * - `queue-ticket` (id: the ticket id) on `queue-ticket.events`: `FanAdmitted` (version 0) and
 *   `TicketRetired` (version 1). A ticket is admitted once (the admission step pops it from the
 *   line atomically) and retired at most once, so its versions are fixed by what happened, not
 *   counted: any number of queue processes admit different tickets without sharing a counter.
 * - `queue` (id: the schedule id) on `queue.events`: admin policy changes, numbered by a version
 *   on the schedule's policy row, which the change holds locked.
 */

/** Tickets are the waiting room's own ids (UUIDs today); read them as opaque, like booking does. */
const ticketId = z.string().min(1).max(200);
const at = z.iso.datetime({ offset: true });
const admitsPerSecond = z.int().min(1);
const maxActive = z.int().min(1);

/** A waiting fan's turn came: their ticket is ACTIVE and may hold seats until `expiresAt`. */
export const FanAdmittedV1 = z.object({
  scheduleId: entityIdSchema,
  ticketId,
  /** The fan's place in the schedule's line (1 = first). */
  queueNumber: z.int().min(1),
  admittedAt: at,
  expiresAt: at,
});

/** The fan's booking was confirmed: the ticket stops admitting and its ACTIVE slot is freed. */
export const TicketRetiredV1 = z.object({
  scheduleId: entityIdSchema,
  ticketId,
  userId: entityIdSchema,
  /** The confirmed booking that retired it. */
  bookingId: entityIdSchema,
  queueNumber: z.int().min(1),
  retiredAt: at,
});

/** An admin changed the admission rate or the cap (a pause or resume is an event of its own). */
export const QueuePolicyChangedV1 = z.object({
  scheduleId: entityIdSchema,
  /** The admin's user id. */
  changedBy: entityIdSchema,
  admitsPerSecond,
  maxActive,
  previous: z.object({ admitsPerSecond, maxActive }),
});

/** An admin stopped admissions for a schedule; fans keep their place in line. */
export const QueuePausedV1 = z.object({ scheduleId: entityIdSchema, changedBy: entityIdSchema });

/** An admin let admissions run again. */
export const QueueResumedV1 = z.object({ scheduleId: entityIdSchema, changedBy: entityIdSchema });

export type FanAdmitted = z.infer<typeof FanAdmittedV1>;
export type TicketRetired = z.infer<typeof TicketRetiredV1>;
export type QueuePolicyChanged = z.infer<typeof QueuePolicyChangedV1>;
export type QueuePaused = z.infer<typeof QueuePausedV1>;
export type QueueResumed = z.infer<typeof QueueResumedV1>;

export const QUEUE_EVENT_TYPES = ['FanAdmitted', 'TicketRetired', 'QueuePolicyChanged', 'QueuePaused', 'QueueResumed'] as const;
export type QueueEventType = (typeof QUEUE_EVENT_TYPES)[number];

/** Fixed positions in a `queue-ticket` stream: a ticket is admitted once, then retired at most once. */
export const TICKET_STREAM_VERSIONS = { FanAdmitted: 0, TicketRetired: 1 } as const;
