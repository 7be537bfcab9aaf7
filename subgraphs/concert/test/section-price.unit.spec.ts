import { randomUUID } from 'node:crypto';
import { changeSectionPrice, freezePrices, validateSectionPrice, type PriceState } from '../src/domain/section-price';

const scheduleId = randomUUID();
const now = new Date('2031-01-01T00:00:00Z');
const open = (sectionPrices: number[]): PriceState => ({ scheduleId, frozenAt: null, sectionPrices });

describe('a section price change', () => {
  it('given a section at one price, when it gets another, then SectionPriceChanged names the previous price', () => {
    expect(changeSectionPrice(open([99_000]), { section: 'A', price: 120_000 })).toEqual({
      kind: 'SectionPriceChanged',
      previousPrice: 99_000,
      events: [{ type: 'SectionPriceChanged', payload: { scheduleId, section: 'A', price: 120_000, previousPrice: 99_000 } }],
    });
  });

  it('given a section whose seats have several prices, then previousPrice is null', () => {
    expect(changeSectionPrice(open([90_000, 99_000]), { section: 'A', price: 90_000 })).toMatchObject({ kind: 'SectionPriceChanged', previousPrice: null });
  });

  it('given every seat at the price already, then it is unchanged and there is no event', () => {
    expect(changeSectionPrice(open([99_000]), { section: 'A', price: 99_000 })).toEqual({ kind: 'SectionPriceUnchanged' });
  });

  it('given a section without seats, then SectionNotFound', () => {
    expect(changeSectionPrice(open([]), { section: 'Z', price: 1 })).toEqual({ kind: 'SectionNotFound', section: 'Z' });
  });

  it('given frozen prices, when any price is asked (even the current one), then PricesFrozen with the instant', () => {
    const frozen = { ...open([99_000]), frozenAt: now };
    expect(changeSectionPrice(frozen, { section: 'A', price: 120_000 })).toEqual({ kind: 'PricesFrozen', frozenAt: now });
    expect(changeSectionPrice(frozen, { section: 'A', price: 99_000 })).toEqual({ kind: 'PricesFrozen', frozenAt: now });
  });

  it.each([-1, 10_000_001, 1.5])('given a price of %p, then it is refused on price', (price) => {
    expect(validateSectionPrice('A', price)).toMatchObject({ kind: 'InvalidInput', field: 'price' });
  });

  it('given a blank section, then it is refused on section; a padded one is trimmed', () => {
    expect(validateSectionPrice('  ', 1)).toMatchObject({ kind: 'InvalidInput', field: 'section' });
    expect(validateSectionPrice(' A ', 0)).toEqual({ section: 'A', price: 0 });
  });
});

describe('the price freeze', () => {
  it('given prices not frozen, when frozen now, then they are frozen at now', () => {
    expect(freezePrices(null, now)).toEqual({ kind: 'PricesFrozen', frozenAt: now, newlyFrozen: true });
  });

  it('given prices frozen earlier, when frozen again, then the first instant stays', () => {
    const earlier = new Date('2030-12-31T00:00:00Z');
    expect(freezePrices(earlier, now)).toEqual({ kind: 'PricesFrozen', frozenAt: earlier, newlyFrozen: false });
  });
});
