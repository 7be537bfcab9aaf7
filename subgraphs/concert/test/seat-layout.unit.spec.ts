import { checkSeatCapacity, layOutSeats, MAX_SEAT_PRICE, MAX_SEATS_PER_ROW } from '../src/domain/seat-layout';

const block = { section: 'A', rows: ['1', '2'], seatsPerRow: 3, price: 99_000 };

describe('laying out seats', () => {
  it('given a block of two rows of three, then it is six seats numbered 1 to 3 per row, in order, at its price', () => {
    expect(layOutSeats([block], 100)).toEqual({
      kind: 'Valid',
      seats: ['1', '2'].flatMap((row) => [1, 2, 3].map((number) => ({ section: 'A', row, number, price: 99_000 }))),
    });
  });

  it('given labels with surrounding spaces, then the seats carry them trimmed', () => {
    const layout = layOutSeats([{ ...block, section: ' VIP ', rows: [' A'], seatsPerRow: 1 }], 100);
    expect(layout).toEqual({ kind: 'Valid', seats: [{ section: 'VIP', row: 'A', number: 1, price: 99_000 }] });
  });

  it('given no blocks, then it is refused on blocks', () => {
    expect(layOutSeats([], 100)).toMatchObject({ kind: 'InvalidInput', field: 'blocks' });
  });

  it('given a negative price, then it is refused on that block price', () => {
    expect(layOutSeats([block, { ...block, section: 'B', price: -1 }], 100)).toMatchObject({ kind: 'InvalidInput', field: 'blocks[1].price' });
  });

  it('given a price above the maximum, then it is refused on the price', () => {
    expect(layOutSeats([{ ...block, price: MAX_SEAT_PRICE + 1 }], 100)).toMatchObject({ kind: 'InvalidInput', field: 'blocks[0].price' });
  });

  it('given a huge seatsPerRow, then it is refused without expanding anything', () => {
    expect(layOutSeats([{ ...block, seatsPerRow: 2_000_000_000 }], 100)).toMatchObject({ kind: 'InvalidInput', field: 'blocks[0].seatsPerRow' });
    expect(layOutSeats([{ ...block, seatsPerRow: MAX_SEATS_PER_ROW + 1 }], 100_000)).toMatchObject({ field: 'blocks[0].seatsPerRow' });
  });

  it('given no seats per row, then it is refused on seatsPerRow', () => {
    expect(layOutSeats([{ ...block, seatsPerRow: 0 }], 100)).toMatchObject({ field: 'blocks[0].seatsPerRow' });
  });

  it('given blocks adding more seats than one call may, then it is refused on blocks', () => {
    expect(layOutSeats([block, { ...block, section: 'B' }], 11)).toMatchObject({ kind: 'InvalidInput', field: 'blocks' });
  });

  it('given a block without rows or with an empty row label, then it is refused on the rows', () => {
    expect(layOutSeats([{ ...block, rows: [] }], 100)).toMatchObject({ field: 'blocks[0].rows' });
    expect(layOutSeats([{ ...block, rows: ['1', ' '] }], 100)).toMatchObject({ field: 'blocks[0].rows[1]' });
  });

  it('given an empty section, then it is refused on the section', () => {
    expect(layOutSeats([{ ...block, section: '' }], 100)).toMatchObject({ field: 'blocks[0].section' });
  });

  it('given two blocks naming the same row of a section, then it is refused on the second block', () => {
    expect(layOutSeats([block, { ...block, rows: ['2', '3'], seatsPerRow: 1 }], 100)).toMatchObject({ kind: 'InvalidInput', field: 'blocks[1]' });
  });

  it('given the same row label in two sections, then both are laid out', () => {
    expect(layOutSeats([block, { ...block, section: 'B' }], 100)).toMatchObject({ kind: 'Valid', seats: { length: 12 } });
  });
});

describe('a schedule seat capacity', () => {
  it('given seats that exactly fill the cap, then they fit', () => {
    expect(checkSeatCapacity(90, 10, 100)).toBeNull();
  });

  it('given one seat too many, then it is TooManySeats with the counts', () => {
    expect(checkSeatCapacity(91, 10, 100)).toEqual({ kind: 'TooManySeats', max: 100, existing: 91, adding: 10 });
  });
});
