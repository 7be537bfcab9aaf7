import { invalidInput, isInvalidInput, parseLabel, type InvalidInput } from './catalog';

/** Where a seat is: unique per schedule. */
export interface SeatPosition {
  section: string;
  row: string;
  number: number;
}

/** A seat before it has an id: its place and its price (whole KRW). */
export interface NewSeat extends SeatPosition {
  price: number;
}

/** Rows of one section with the same number of seats and one price: how venues describe a layout. */
export interface SeatBlock {
  section: string;
  rows: readonly string[];
  seatsPerRow: number;
  price: number;
}

/** No real row is longer; a bigger number is a typo that would otherwise create thousands of seats. */
export const MAX_SEATS_PER_ROW = 500;
/** 10 million KRW: above any ticket we sell, far below a 32-bit GraphQL Int. */
export const MAX_SEAT_PRICE = 10_000_000;

/** A schedule would pass its seat cap (the config's MAX_SEATS_PER_SCHEDULE, which also bounds query cost). */
export interface TooManySeats {
  kind: 'TooManySeats';
  max: number;
  existing: number;
  adding: number;
}

const positionKey = (seat: SeatPosition) => JSON.stringify([seat.section, seat.row, seat.number]);

/**
 * Expands blocks into seats (every row × 1..seatsPerRow), in the order given. Refuses an empty
 * request, bad labels, numbers out of range, more than `maxSeats` seats in all (counted before
 * anything is expanded) and a seat named twice.
 */
export function layOutSeats(blocks: readonly SeatBlock[], maxSeats: number): { kind: 'Valid'; seats: NewSeat[] } | InvalidInput {
  if (blocks.length === 0) return invalidInput('blocks', 'blocks must name at least one block of seats');
  const parsed: SeatBlock[] = [];
  let total = 0;
  for (const [b, block] of blocks.entries()) {
    const field = `blocks[${b}]`;
    const section = parseLabel(block.section, `${field}.section`);
    if (isInvalidInput(section)) return section;
    if (block.rows.length === 0) return invalidInput(`${field}.rows`, `${field}.rows must name at least one row`);
    const rows: string[] = [];
    for (const [r, row] of block.rows.entries()) {
      const label = parseLabel(row, `${field}.rows[${r}]`);
      if (isInvalidInput(label)) return label;
      rows.push(label);
    }
    if (!Number.isInteger(block.seatsPerRow) || block.seatsPerRow < 1 || block.seatsPerRow > MAX_SEATS_PER_ROW) {
      return invalidInput(`${field}.seatsPerRow`, `${field}.seatsPerRow must be between 1 and ${MAX_SEATS_PER_ROW}`);
    }
    if (!Number.isInteger(block.price) || block.price < 0 || block.price > MAX_SEAT_PRICE) {
      return invalidInput(`${field}.price`, `${field}.price must be a whole amount between 0 and ${MAX_SEAT_PRICE}`);
    }
    total += rows.length * block.seatsPerRow;
    if (total > maxSeats) return invalidInput('blocks', `blocks add more than ${maxSeats} seats`);
    parsed.push({ section, rows, seatsPerRow: block.seatsPerRow, price: block.price });
  }

  const seats: NewSeat[] = [];
  const seen = new Set<string>();
  for (const [b, block] of parsed.entries()) {
    for (const row of block.rows) {
      for (let number = 1; number <= block.seatsPerRow; number++) {
        const seat = { section: block.section, row, number, price: block.price };
        const key = positionKey(seat);
        if (seen.has(key)) return invalidInput(`blocks[${b}]`, `blocks[${b}] names seat ${block.section}/${row}/${number} again`);
        seen.add(key);
        seats.push(seat);
      }
    }
  }
  return { kind: 'Valid', seats };
}

/** Whether `adding` more seats still fit a schedule that has `existing`; null when they do. */
export function checkSeatCapacity(existing: number, adding: number, max: number): TooManySeats | null {
  return existing + adding <= max ? null : { kind: 'TooManySeats', max, existing, adding };
}
