import { z } from 'zod';

/**
 * Redis pub/sub channels that feed the gateway's GraphQL subscriptions, and the messages on
 * them. Producers publish small facts; the gateway turns them into subscription payloads.
 *
 * ioredis's keyPrefix does not apply to channel names, so every channel carries the deployment's
 * (or test run's) prefix explicitly. Channels of one schedule share its Redis Cluster hash tag.
 */
export const realtimeChannels = {
  /** One message per admission tick of a schedule's waiting room. */
  queueProgress: (prefix: string, scheduleId: string) => `${prefix}rt:queue:{${scheduleId}}`,
  /** A ticket's own changes outside the tick: entered, retired after a confirmed booking. */
  queueTicket: (prefix: string, scheduleId: string) => `${prefix}rt:queue-ticket:{${scheduleId}}`,
} as const;

const isoDateTime = z.string().datetime({ offset: true });

/**
 * The waiting room's heartbeat for one schedule. A subscriber whose ticket holds queue number
 * `n` is at position `n - nowServing` while WAITING; it became ACTIVE in the tick whose
 * `admitted` lists it. One broadcast serves every waiting fan, however many there are.
 */
export const queueProgressSchema = z.object({
  scheduleId: z.string().uuid(),
  /** Highest queue number admitted so far (0 before the first admission). */
  nowServing: z.number().int().nonnegative(),
  /** Admissions per second used for ETAs: observed when admitting, else the policy's rate. */
  admitsPerSecond: z.number().nonnegative(),
  paused: z.boolean(),
  /** True while arrivals still wait in the pre-queue for the opening shuffle. */
  preQueue: z.boolean(),
  admitted: z.array(
    z.object({
      ticketId: z.string().min(1),
      queueNumber: z.number().int().positive(),
      expiresAt: isoDateTime,
    }),
  ),
  /** Tickets that stopped working this tick (ACTIVE past their TTL, or retired). */
  expired: z.array(z.string().min(1)),
  at: isoDateTime,
});
export type QueueProgress = z.infer<typeof queueProgressSchema>;

/**
 * A ticket's own change outside the admission tick, on `queueTicket`. Subscribers know their
 * ticket by `queueNumber`, as they know admissions in `queueProgress.admitted`.
 */
export const queueTicketChangedSchema = z.object({
  scheduleId: z.guid(),
  ticketId: z.string().min(1),
  queueNumber: z.number().int().positive(),
  /** RETIRED: its booking was confirmed, so it admits nobody any more and its ACTIVE slot is free. */
  change: z.enum(['RETIRED']),
  /** The ticket's status from `at` on. */
  status: z.enum(['WAITING', 'ACTIVE', 'EXPIRED']),
  at: isoDateTime,
});
export type QueueTicketChanged = z.infer<typeof queueTicketChangedSchema>;

/** Pure: where a waiting ticket stands after a progress message (positions never go backwards). */
export function positionAfter(queueNumber: number, nowServing: number): number {
  return Math.max(1, queueNumber - nowServing);
}

/** Pure: seconds until admission at the given rate; null when nothing is moving. */
export function estimatedWaitSeconds(position: number, admitsPerSecond: number, paused: boolean): number | null {
  if (paused || admitsPerSecond <= 0) return null;
  return Math.ceil(position / admitsPerSecond);
}

export const bookingChannels = {
  /** Every status change of one booking; the gateway re-reads the booking for its subscriber. */
  booking: (prefix: string, bookingId: string) => `${prefix}rt:booking:{${bookingId}}`,
  /** Seat status changes of one schedule, as the concert catalog has applied them. */
  seats: (prefix: string, scheduleId: string) => `${prefix}rt:seats:{${scheduleId}}`,
} as const;

const bookingStatusSchema = z.enum(['HELD', 'PAYMENT_PENDING', 'CONFIRMED', 'CANCELLED', 'EXPIRED', 'REFUNDED']);

/** Published by the booking subgraph's realtime relay (fed from `booking.events`) on `booking`. */
export const bookingChangedSchema = z.object({
  bookingId: z.guid(),
  status: bookingStatusSchema,
  /** The booking's version after the change: a subscriber drops anything not newer than what it has. */
  version: z.number().int().nonnegative(),
  at: isoDateTime,
});
export type BookingChanged = z.infer<typeof bookingChangedSchema>;

/**
 * Published by the concert subgraph on `seats` after it projected a change: the changed seats
 * whole, so a subscriber needs no read-back for the seat fields themselves.
 */
export const seatsChangedSchema = z.object({
  scheduleId: z.guid(),
  seats: z
    .array(
      z.object({
        id: z.guid(),
        section: z.string(),
        row: z.string(),
        number: z.number().int(),
        price: z.number().int().nonnegative(),
        status: z.enum(['AVAILABLE', 'HELD', 'SOLD', 'BLOCKED']),
      }),
    )
    .min(1),
  at: isoDateTime,
});
export type SeatsChanged = z.infer<typeof seatsChangedSchema>;

export const historyChannels = {
  /** A schedule's sales dashboard moved; the gateway re-reads it for each subscriber. */
  sales: (prefix: string, scheduleId: string) => `${prefix}rt:sales:{${scheduleId}}`,
} as const;

/** Published by the history subgraph on `sales` after its projection applied events of the schedule. */
export const salesChangedSchema = z.object({
  scheduleId: z.guid(),
  /** The dashboard's position now: a subscriber re-reads only when it is past the one it showed. */
  asOfPosition: z.number().int().positive(),
});
export type SalesChanged = z.infer<typeof salesChangedSchema>;
