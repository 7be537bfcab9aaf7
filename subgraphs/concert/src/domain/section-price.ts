import { invalidInput, isInvalidInput, parseLabel, type InvalidInput } from './catalog';
import type { CatalogEvent } from './catalog-events';
import { MAX_SEAT_PRICE } from './seat-layout';

/**
 * A schedule's prices as a price change sees them, read under the schedule's row lock:
 * `frozenAt` is set once its waiting room is about to admit the first fan, and from then on no
 * price moves, so no admitted fan ever pays a price set after they were let in.
 */
export interface PriceState {
  scheduleId: string;
  frozenAt: Date | null;
  /** The distinct prices the section's seats have now; empty when the section has no seats. */
  sectionPrices: readonly number[];
}

export interface SectionPriceRequest {
  section: string;
  price: number;
}

export type SectionPriceOutcome =
  | { kind: 'SectionPriceChanged'; previousPrice: number | null; events: CatalogEvent[] }
  /** Every seat of the section has this price already: nothing to write, no event. */
  | { kind: 'SectionPriceUnchanged' }
  | { kind: 'PricesFrozen'; frozenAt: Date }
  | { kind: 'SectionNotFound'; section: string };

/** The request as the contract allows it (a label and a price 0..MAX_SEAT_PRICE, like addSeats), or why not. */
export function validateSectionPrice(section: string, price: number): SectionPriceRequest | InvalidInput {
  const label = parseLabel(section, 'section');
  if (isInvalidInput(label)) return label;
  if (!Number.isInteger(price) || price < 0 || price > MAX_SEAT_PRICE) {
    return invalidInput('price', `price must be a whole amount between 0 and ${MAX_SEAT_PRICE}`);
  }
  return { section: label, price };
}

/**
 * Every seat of a section gets one price. Refused once the prices are frozen, whatever the
 * price (even an unchanged one: the admin must learn the freeze). `previousPrice` is the
 * section's one price before, or null when its seats had several.
 */
export function changeSectionPrice(state: PriceState, request: SectionPriceRequest): SectionPriceOutcome {
  if (state.frozenAt) return { kind: 'PricesFrozen', frozenAt: state.frozenAt };
  if (state.sectionPrices.length === 0) return { kind: 'SectionNotFound', section: request.section };
  const [only, ...others] = state.sectionPrices;
  if (others.length === 0 && only === request.price) return { kind: 'SectionPriceUnchanged' };
  const previousPrice = others.length === 0 && only !== undefined ? only : null;
  return {
    kind: 'SectionPriceChanged',
    previousPrice,
    events: [{ type: 'SectionPriceChanged', payload: { scheduleId: state.scheduleId, section: request.section, price: request.price, previousPrice } }],
  };
}

export type PriceFreezeOutcome = { kind: 'PricesFrozen'; frozenAt: Date; newlyFrozen: boolean };

/** The first freeze sets the instant; a later one (another queue process, a retry) keeps it. */
export function freezePrices(frozenAt: Date | null, now: Date): PriceFreezeOutcome {
  return frozenAt ? { kind: 'PricesFrozen', frozenAt, newlyFrozen: false } : { kind: 'PricesFrozen', frozenAt: now, newlyFrozen: true };
}
