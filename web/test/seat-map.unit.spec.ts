import { applyUpdate, createPushLedger, keepAvailable, layOut, toggleSeat, type MapSeat } from '../src/fan/seat-map.model';

const seat = (id: string, row: string, number: number, status: MapSeat['status'] = 'AVAILABLE', section = 'Floor'): MapSeat => ({ id, section, row, number, price: 50_000, status });

describe('the seat map', () => {
  it('given seats in any order, when laid out, then sections, rows and numbers read naturally', () => {
    const sections = layOut([seat('c', '10', 1), seat('b', '2', 2), seat('a', '2', 1), seat('d', 'A', 1, 'AVAILABLE', 'Balcony')]);
    expect(sections.map((s) => s.section)).toEqual(['Balcony', 'Floor']);
    expect(sections[1]!.rows.map((r) => [r.row, r.seats.map((s) => s.id)])).toEqual([
      ['2', ['a', 'b']],
      ['10', ['c']],
    ]);
  });

  it('given a map, when a seatsUpdated push arrives, then only the pushed seats change', () => {
    const seats = [seat('a', 'A', 1), seat('b', 'A', 2)];
    expect(applyUpdate(seats, [{ id: 'b', status: 'HELD' }])).toEqual([seat('a', 'A', 1), seat('b', 'A', 2, 'HELD')]);
  });

  it('given four chosen seats, when a fifth is chosen, then it is refused and the choice stays', () => {
    const four = ['a', 'b', 'c', 'd'];
    expect(toggleSeat(four, seat('e', 'A', 5), 4)).toEqual({ refused: 'LIMIT', selection: four });
    expect(toggleSeat(four, seat('d', 'A', 4), 4)).toEqual({ selection: ['a', 'b', 'c'] });
  });

  it('given a held seat, when chosen, then it is refused', () => {
    expect(toggleSeat([], seat('a', 'A', 1, 'HELD'), 4)).toEqual({ refused: 'NOT_AVAILABLE', selection: [] });
  });

  it('given a chosen seat someone else took, when the map changes, then the choice drops it', () => {
    const seats = [seat('a', 'A', 1, 'SOLD'), seat('b', 'A', 2)];
    expect(keepAvailable(['a', 'b'], seats)).toEqual(['b']);
    const unchanged = ['b'];
    expect(keepAvailable(unchanged, seats)).toBe(unchanged);
  });

  describe('a re-read of the map while pushes arrive', () => {
    it('given a push that lands while a re-read is on its way, when the re-read answers with the older map, then the push still wins', () => {
      const ledger = createPushLedger();
      const mark = ledger.readStarted();
      ledger.pushed([{ id: 'b', status: 'HELD' }]);
      // The server read the map before the hold was projected: b still AVAILABLE.
      expect(ledger.merged(mark, [seat('a', 'A', 1), seat('b', 'A', 2)])).toEqual([seat('a', 'A', 1), seat('b', 'A', 2, 'HELD')]);
      ledger.readEnded();
    });

    it('applies every push since the read began in the order they came, so the newest state of a seat wins, and forgets them once no read is in flight', () => {
      const ledger = createPushLedger();
      ledger.pushed([{ id: 'a', status: 'SOLD' }]); // before any read: the read will see it, nothing to keep
      const first = ledger.readStarted();
      ledger.pushed([{ id: 'b', status: 'HELD' }]);
      const second = ledger.readStarted();
      ledger.pushed([{ id: 'b', status: 'AVAILABLE' }]);
      const read = [seat('a', 'A', 1, 'SOLD'), seat('b', 'A', 2)];
      expect(ledger.merged(first, read).map((s) => s.status)).toEqual(['SOLD', 'AVAILABLE']);
      expect(ledger.merged(second, [seat('a', 'A', 1, 'SOLD'), seat('b', 'A', 2, 'HELD')]).map((s) => s.status)).toEqual(['SOLD', 'AVAILABLE']);
      ledger.readEnded();
      ledger.readEnded();
      // No read in flight: pushes are not kept, and a new read starts from an empty ledger.
      ledger.pushed([{ id: 'a', status: 'AVAILABLE' }]);
      const third = ledger.readStarted();
      expect(ledger.merged(third, read)).toEqual(read);
      ledger.readEnded();
    });

    it('given read(), then pushes during the load are applied to its seats, and a load that fails still ends the read', async () => {
      const ledger = createPushLedger();
      const { answer, seats } = await ledger.read(
        async () => {
          ledger.pushed([{ id: 'b', status: 'HELD' }]);
          return { schedule: { seats: [seat('a', 'A', 1), seat('b', 'A', 2)] } };
        },
        (loaded) => loaded.schedule.seats,
      );
      expect(answer.schedule.seats[1]!.status).toBe('AVAILABLE');
      expect(seats.map((s) => s.status)).toEqual(['AVAILABLE', 'HELD']);

      await expect(ledger.read(() => Promise.reject(new Error('network')), () => [])).rejects.toThrow('network');
      // Both reads ended, so a push now is not kept: the next read starts from an empty ledger.
      ledger.pushed([{ id: 'a', status: 'SOLD' }]);
      expect(ledger.readStarted()).toBe(0);
      ledger.readEnded();
    });
  });
});
