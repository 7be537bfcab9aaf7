import { ConcertCreatedV1 } from '@ticketing/contracts';

/** The catalog: what is on sale, when, where and at what price. Pure types and rules, no I/O. */

export const SEAT_STATUSES = ['AVAILABLE', 'HELD', 'SOLD', 'BLOCKED'] as const;
/** The catalog's projection of a seat; the booking subgraph is the authority on claims. */
export type SeatStatus = (typeof SEAT_STATUSES)[number];

export interface Concert {
  id: string;
  title: string;
  artist: string;
  venue: string;
  createdAt: Date;
}

export interface Schedule {
  id: string;
  concertId: string;
  startsAt: Date;
  bookingOpensAt: Date;
  /** Most seats one fan may hold or own on this schedule, across all their bookings (1 to 10). */
  maxSeatsPerFan: number;
  /** Hours before `startsAt` from which fans may no longer refund their own bookings (0 to 8,760). */
  refundCutoffHours: number;
  /** When the waiting room began admitting and prices stopped changing; absent or null before. */
  pricesFrozenAt?: Date | null;
  /** When an admin closed its sales; absent or null while they are open (see sales-window.ts). */
  salesClosedAt?: Date | null;
}

export interface Seat {
  id: string;
  scheduleId: string;
  section: string;
  row: string;
  number: number;
  /** Whole KRW. */
  price: number;
  status: SeatStatus;
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Catalog ids are UUIDs. Anything else cannot name an entry, so a lookup answers "not found"
 * without asking the database (which would otherwise fail on the cast to `uuid`).
 */
export function isCatalogId(id: string): boolean {
  return UUID_PATTERN.test(id);
}

/** PostgreSQL prints UUIDs in lower case; compare ids in that form. */
export function canonicalId(id: string): string {
  return id.toLowerCase();
}

/**
 * A request the catalog refuses before anything is written. `field` is the argument path the
 * client sent (`input.title`, `blocks[0].price`), so a form can point at the box to fix.
 */
export interface InvalidInput {
  kind: 'InvalidInput';
  field: string;
  message: string;
}

export const invalidInput = (field: string, message: string): InvalidInput => ({ kind: 'InvalidInput', field, message });

export const isInvalidInput = (value: unknown): value is InvalidInput =>
  typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'InvalidInput';

/** Titles, artists, venues, sections and rows obey the event contract that carries them: one rule, one place. */
const labelSchema = ConcertCreatedV1.shape.title;
export const LABEL_MAX_LENGTH = labelSchema.maxLength;

/** Trimmed text of 1 to LABEL_MAX_LENGTH characters, or why not. */
export function parseLabel(value: string, field: string): string | InvalidInput {
  const parsed = labelSchema.safeParse(value);
  return parsed.success ? parsed.data : invalidInput(field, `${field} must be 1 to ${LABEL_MAX_LENGTH} characters (surrounding spaces are trimmed)`);
}
