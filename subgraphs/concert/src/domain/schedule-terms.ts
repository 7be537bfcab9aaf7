import { ScheduleCreatedV1 } from '@ticketing/contracts';
import { invalidInput, type InvalidInput, type Schedule } from './catalog';
import type { CatalogEvent } from './catalog-events';

/** When a performance starts, when its sale opens, how many seats one fan may have, and until when fans may refund. */
export interface ScheduleTerms {
  startsAt: Date;
  bookingOpensAt: Date;
  maxSeatsPerFan: number;
  refundCutoffHours: number;
}

/** The terms to change; absent ones keep their current value. */
export type ScheduleTermsChange = Partial<ScheduleTerms>;

/** The range is the event contract's (and the table's CHECK): one rule, one place. */
const maxSeatsPerFanSchema = ScheduleCreatedV1.shape.maxSeatsPerFan;
export const MAX_SEATS_PER_FAN = { min: maxSeatsPerFanSchema.minValue, max: maxSeatsPerFanSchema.maxValue } as const;
/** What a schedule gets when the admin does not say (also the table's default). */
export const DEFAULT_MAX_SEATS_PER_FAN = 4;

const refundCutoffHoursSchema = ScheduleCreatedV1.shape.refundCutoffHours.unwrap();
export const REFUND_CUTOFF_HOURS = { min: refundCutoffHoursSchema.minValue, max: refundCutoffHoursSchema.maxValue } as const;
/** A day before the show, when the admin does not say (also the table's default). */
export const DEFAULT_REFUND_CUTOFF_HOURS = 24;

const checkRefundCutoffHours = (value: number): InvalidInput | null =>
  refundCutoffHoursSchema.safeParse(value).success
    ? null
    : invalidInput('input.refundCutoffHours', `input.refundCutoffHours must be between ${REFUND_CUTOFF_HOURS.min} and ${REFUND_CUTOFF_HOURS.max}`);

const checkMaxSeatsPerFan = (value: number): InvalidInput | null =>
  maxSeatsPerFanSchema.safeParse(value).success
    ? null
    : invalidInput('input.maxSeatsPerFan', `input.maxSeatsPerFan must be between ${MAX_SEATS_PER_FAN.min} and ${MAX_SEATS_PER_FAN.max}`);

const notInFuture = (now: Date) => invalidInput('input.startsAt', `input.startsAt must be after now (${now.toISOString()})`);

/** A sale that opens after the show has started sells nothing: the table refuses it too. */
function checkOrder(terms: ScheduleTerms, blame: 'input.startsAt' | 'input.bookingOpensAt'): InvalidInput | null {
  return terms.bookingOpensAt.getTime() <= terms.startsAt.getTime() ? null : invalidInput(blame, 'input.bookingOpensAt must not be after input.startsAt');
}

/** A new schedule's terms: it starts in the future, its sale opens no later than it starts. */
export function validateNewSchedule(
  request: { startsAt: Date; bookingOpensAt: Date; maxSeatsPerFan?: number | null; refundCutoffHours?: number | null },
  now: Date,
): { kind: 'Valid'; terms: ScheduleTerms } | InvalidInput {
  const terms = {
    startsAt: request.startsAt,
    bookingOpensAt: request.bookingOpensAt,
    maxSeatsPerFan: request.maxSeatsPerFan ?? DEFAULT_MAX_SEATS_PER_FAN,
    refundCutoffHours: request.refundCutoffHours ?? DEFAULT_REFUND_CUTOFF_HOURS,
  };
  const rejection =
    checkMaxSeatsPerFan(terms.maxSeatsPerFan) ??
    checkRefundCutoffHours(terms.refundCutoffHours) ??
    (terms.startsAt.getTime() > now.getTime() ? null : notInFuture(now)) ?? checkOrder(terms, 'input.bookingOpensAt');
  return rejection ?? { kind: 'Valid', terms };
}

/** What can be checked without the current terms; null or absent keeps the current value. */
export function validateScheduleChange(request: {
  startsAt?: Date | null;
  bookingOpensAt?: Date | null;
  maxSeatsPerFan?: number | null;
  refundCutoffHours?: number | null;
}): { kind: 'Valid'; change: ScheduleTermsChange } | InvalidInput {
  const change: ScheduleTermsChange = {};
  if (request.startsAt != null) change.startsAt = request.startsAt;
  if (request.bookingOpensAt != null) change.bookingOpensAt = request.bookingOpensAt;
  if (request.maxSeatsPerFan != null) {
    const rejection = checkMaxSeatsPerFan(request.maxSeatsPerFan);
    if (rejection) return rejection;
    change.maxSeatsPerFan = request.maxSeatsPerFan;
  }
  if (request.refundCutoffHours != null) {
    const rejection = checkRefundCutoffHours(request.refundCutoffHours);
    if (rejection) return rejection;
    change.refundCutoffHours = request.refundCutoffHours;
  }
  return { kind: 'Valid', change };
}

export type ScheduleChangeOutcome =
  | { kind: 'ScheduleChanged'; schedule: Schedule; events: CatalogEvent[] }
  /** Every given value is the current one: nothing to write and nothing to publish. */
  | { kind: 'ScheduleUnchanged'; schedule: Schedule }
  | InvalidInput;

/**
 * Applies a validated change to the current terms. The merged terms must still be in order (a
 * start moved before the opening is refused like an opening moved after the start), and a start
 * that moves must move into the future. `ScheduleChanged` carries only the fields that differ.
 */
export function changeSchedule(current: Schedule, change: ScheduleTermsChange, now: Date): ScheduleChangeOutcome {
  const startsAt = change.startsAt && change.startsAt.getTime() !== current.startsAt.getTime() ? change.startsAt : undefined;
  const bookingOpensAt = change.bookingOpensAt && change.bookingOpensAt.getTime() !== current.bookingOpensAt.getTime() ? change.bookingOpensAt : undefined;
  const maxSeatsPerFan = change.maxSeatsPerFan !== undefined && change.maxSeatsPerFan !== current.maxSeatsPerFan ? change.maxSeatsPerFan : undefined;
  const refundCutoffHours =
    change.refundCutoffHours !== undefined && change.refundCutoffHours !== current.refundCutoffHours ? change.refundCutoffHours : undefined;
  if (startsAt === undefined && bookingOpensAt === undefined && maxSeatsPerFan === undefined && refundCutoffHours === undefined) {
    return { kind: 'ScheduleUnchanged', schedule: current };
  }

  if (startsAt && startsAt.getTime() <= now.getTime()) return notInFuture(now);
  const schedule: Schedule = {
    ...current,
    ...(startsAt && { startsAt }),
    ...(bookingOpensAt && { bookingOpensAt }),
    ...(maxSeatsPerFan !== undefined && { maxSeatsPerFan }),
    ...(refundCutoffHours !== undefined && { refundCutoffHours }),
  };
  const disorder = checkOrder(schedule, bookingOpensAt ? 'input.bookingOpensAt' : 'input.startsAt');
  if (disorder) return disorder;
  return {
    kind: 'ScheduleChanged',
    schedule,
    events: [
      {
        type: 'ScheduleChanged',
        payload: {
          scheduleId: current.id,
          ...(startsAt && { startsAt: startsAt.toISOString() }),
          ...(bookingOpensAt && { bookingOpensAt: bookingOpensAt.toISOString() }),
          ...(maxSeatsPerFan !== undefined && { maxSeatsPerFan }),
          ...(refundCutoffHours !== undefined && { refundCutoffHours }),
        },
      },
    ],
  };
}
