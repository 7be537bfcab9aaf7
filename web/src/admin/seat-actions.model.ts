import type { MapSeat, Selection } from '../fan/seat-map.model';

/**
 * What an admin can do with chosen seats: block the available ones, release or comp the blocked
 * ones. Held and sold seats belong to fans and cannot be chosen. Pure; unit-tested.
 */
export const adminCanChoose = (seat: Pick<MapSeat, 'status'>) => seat.status === 'AVAILABLE' || seat.status === 'BLOCKED';

export function toggleAdminSeat(selection: Selection, seat: MapSeat): Selection {
  if (selection.includes(seat.id)) return selection.filter((id) => id !== seat.id);
  return adminCanChoose(seat) ? [...selection, seat.id] : selection;
}

export interface SeatActions {
  /** Chosen and available: what "Block" would take off sale. */
  toBlock: string[];
  /** Chosen and blocked: what "Release" puts back on sale and "Book for a guest" comps. */
  blocked: string[];
}

/** The chosen seats split by what can be done to them, as the map shows them now (pushes may have moved them). */
export function seatActions(seats: readonly MapSeat[], selection: Selection): SeatActions {
  const chosen = seats.filter((seat) => selection.includes(seat.id));
  return { toBlock: chosen.filter((seat) => seat.status === 'AVAILABLE').map((seat) => seat.id), blocked: chosen.filter((seat) => seat.status === 'BLOCKED').map((seat) => seat.id) };
}

/** Drops chosen seats a fan took meanwhile. */
export const keepChoosable = (selection: Selection, seats: readonly MapSeat[]): Selection => {
  const choosable = new Set(seats.filter(adminCanChoose).map((seat) => seat.id));
  const kept = selection.filter((id) => choosable.has(id));
  return kept.length === selection.length ? selection : kept;
};

/** "A, B, C" or "A-C" → ["A", "B", "C"]: rows as an admin types them (single letters or numbers in a range). */
export function parseRows(text: string): string[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .flatMap((part) => {
      const range = /^(\w+)\s*-\s*(\w+)$/.exec(part);
      if (!range) return [part];
      const [from, to] = [range[1]!, range[2]!];
      if (/^\d+$/.test(from) && /^\d+$/.test(to) && Number(from) <= Number(to)) {
        return Array.from({ length: Number(to) - Number(from) + 1 }, (_, index) => String(Number(from) + index));
      }
      if (/^[A-Za-z]$/.test(from) && /^[A-Za-z]$/.test(to) && from.charCodeAt(0) <= to.charCodeAt(0)) {
        return Array.from({ length: to.charCodeAt(0) - from.charCodeAt(0) + 1 }, (_, index) => String.fromCharCode(from.charCodeAt(0) + index));
      }
      return [part];
    });
}
