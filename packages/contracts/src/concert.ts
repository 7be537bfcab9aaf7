import { z } from 'zod';
import { entityIdSchema } from './envelope';

/**
 * Events of the catalog, published by the concert subgraph. A concert and each of its schedules
 * are streams of their own, each numbered by a version on its row (the writer holds the row):
 *
 * - `concert` (id: the concert id) on `concert.events`: `ConcertCreated`, `ConcertChanged`.
 * - `schedule` (id: the schedule id) on `schedule.events`: `ScheduleCreated`, `ScheduleChanged`,
 *   `SeatsAdded`, `SectionPriceChanged`, `SalesClosed`, `SalesOpened`. Folding one schedule
 *   stream gives its seats with section and price (what a sales dashboard needs to count seats
 *   and revenue by section) and whether its sales are open, and since when.
 *
 * Seat status is not a catalog fact: booking's events (`SeatsHeld`, `BookingConfirmed`, ...) carry
 * the seats and a per-seat sequence, and the catalog's seat status is only their projection, so
 * the catalog publishes no event for it (one fact, one producer).
 */

const at = z.iso.datetime({ offset: true });
/** Shown to people; bounded so one event stays small. */
const label = z.string().trim().min(1).max(200);
const price = z.int().min(0);
const maxSeatsPerFan = z.int().min(1).max(10);
/**
 * Hours before `startsAt` from which a fan may no longer refund their own confirmed booking (an
 * admin still may): 0 means until the show starts, at most a year. Optional in the events: a
 * schedule created before it existed has the table's default (24).
 */
const refundCutoffHours = z.int().min(0).max(8_760);

export const ConcertCreatedV1 = z.object({ concertId: entityIdSchema, title: label, artist: label, venue: label });

/** Only the fields that changed. */
export const ConcertChangedV1 = z.object({
  concertId: entityIdSchema,
  title: label.optional(),
  artist: label.optional(),
  venue: label.optional(),
});

export const ScheduleCreatedV1 = z.object({
  scheduleId: entityIdSchema,
  concertId: entityIdSchema,
  startsAt: at,
  bookingOpensAt: at,
  maxSeatsPerFan,
  refundCutoffHours: refundCutoffHours.optional(),
});

/** Only the fields that changed. */
export const ScheduleChangedV1 = z.object({
  scheduleId: entityIdSchema,
  startsAt: at.optional(),
  bookingOpensAt: at.optional(),
  maxSeatsPerFan: maxSeatsPerFan.optional(),
  refundCutoffHours: refundCutoffHours.optional(),
});

/** Most seats one `SeatsAdded` carries; a larger batch is several events (about 100 bytes a seat). */
export const SEATS_PER_EVENT = 500;

export const catalogSeatSchema = z.object({
  seatId: entityIdSchema,
  section: label,
  row: label,
  number: z.int().min(1),
  /** Whole KRW. */
  price,
});
export type CatalogSeat = z.infer<typeof catalogSeatSchema>;

export const SeatsAddedV1 = z.object({
  scheduleId: entityIdSchema,
  seats: z
    .array(catalogSeatSchema)
    .min(1)
    .max(SEATS_PER_EVENT)
    .refine((seats) => new Set(seats.map((seat) => seat.seatId)).size === seats.length, 'seat ids must be unique'),
});

/** Every seat of the section now costs `price` (whole KRW). */
export const SectionPriceChangedV1 = z.object({ scheduleId: entityIdSchema, section: label, price, previousPrice: price.nullable() });

/**
 * An admin stopped the schedule's sales: the queue admits nobody and takes no new arrivals, and
 * holds are refused, until `SalesOpened`. Held bookings may still be paid. Never twice in a row.
 */
export const SalesClosedV1 = z.object({
  scheduleId: entityIdSchema,
  closedAt: at,
  /** Why, for people and dashboards (trimmed, 1 to 500 characters); consumers must not branch on it. */
  reason: z.string().trim().min(1).max(500),
  /** The admin who closed them. */
  closedBy: entityIdSchema,
});

/**
 * An admin opened the schedule's sales: a close is lifted, and an opening still in the future
 * moved to `openedAt`. `bookingOpensAt` is the schedule's opening after the change (the same as
 * before when it had passed already), so a fold needs no earlier event to know it.
 */
export const SalesOpenedV1 = z.object({
  scheduleId: entityIdSchema,
  openedAt: at,
  bookingOpensAt: at,
  /** The admin who opened them. */
  openedBy: entityIdSchema,
});

export type ConcertCreated = z.infer<typeof ConcertCreatedV1>;
export type ConcertChanged = z.infer<typeof ConcertChangedV1>;
export type ScheduleCreated = z.infer<typeof ScheduleCreatedV1>;
export type ScheduleChanged = z.infer<typeof ScheduleChangedV1>;
export type SeatsAdded = z.infer<typeof SeatsAddedV1>;
export type SectionPriceChanged = z.infer<typeof SectionPriceChangedV1>;
export type SalesClosed = z.infer<typeof SalesClosedV1>;
export type SalesOpened = z.infer<typeof SalesOpenedV1>;

export const CONCERT_EVENT_TYPES = [
  'ConcertCreated',
  'ConcertChanged',
  'ScheduleCreated',
  'ScheduleChanged',
  'SeatsAdded',
  'SectionPriceChanged',
  'SalesClosed',
  'SalesOpened',
] as const;
export type ConcertEventType = (typeof CONCERT_EVENT_TYPES)[number];
