import { randomUUID } from 'node:crypto';
import type { Seat, SeatStatus } from '../src/domain/catalog';
import { availableSeatCount, buildSeatMap, seatsWithStatus } from '../src/domain/seat-map';

const scheduleId = randomUUID();
const seat = (section: string, row: string, number: number, status: SeatStatus = 'AVAILABLE'): Seat => ({
  id: randomUUID(),
  scheduleId,
  section,
  row,
  number,
  price: 99_000,
  status,
});
const label = (s: Seat) => `${s.section}-${s.row}-${s.number}`;

describe('seat maps', () => {
  it('given seats in any order, when the map is built, then they are ordered by section, row and number', () => {
    const seats = [seat('B', '1', 1), seat('A', '10', 1), seat('A', '2', 10), seat('A', '2', 2), seat('A', '1', 1)];

    const map = buildSeatMap(scheduleId, seats, new Date());

    // Numeric rows sort as numbers: row 2 comes before row 10.
    expect(map.seats.map(label)).toEqual(['A-1-1', 'A-2-2', 'A-2-10', 'A-10-1', 'B-1-1']);
  });

  it('given lettered rows, when the map is built, then they sort alphabetically', () => {
    const map = buildSeatMap(scheduleId, [seat('A', 'C', 1), seat('A', 'AA', 1), seat('A', 'B', 1)], new Date());

    expect(map.seats.map(label)).toEqual(['A-AA-1', 'A-B-1', 'A-C-1']);
  });

  const map = buildSeatMap(
    scheduleId,
    [seat('A', '1', 1, 'SOLD'), seat('A', '1', 2), seat('A', '1', 3, 'HELD'), seat('A', '1', 4)],
    new Date(),
  );

  it('given no status, when seats are listed, then every seat is listed', () => {
    expect(seatsWithStatus(map, null).map(label)).toEqual(['A-1-1', 'A-1-2', 'A-1-3', 'A-1-4']);
  });

  it.each([
    ['AVAILABLE', ['A-1-2', 'A-1-4']],
    ['HELD', ['A-1-3']],
    ['SOLD', ['A-1-1']],
  ] as const)('given status %s, when seats are listed, then only those seats are listed, in order', (status, expected) => {
    expect(seatsWithStatus(map, status).map(label)).toEqual(expected);
  });

  it('given held and sold seats, when available seats are counted, then only AVAILABLE ones count', () => {
    expect(availableSeatCount(map)).toBe(2);
    expect(availableSeatCount(buildSeatMap(scheduleId, [], new Date()))).toBe(0);
  });
});
