import { randomUUID } from 'node:crypto';
import { getSeatMap, type SeatMapSource } from '../src/application/get-seat-map.query';
import type { CachedSeatMap, ProjectedSeat, SeatMapCache, SeatMapRebuildLock } from '../src/application/ports';
import type { Seat, SeatStatus } from '../src/domain/catalog';
import type { SeatMap } from '../src/domain/seat-map';

/** In-memory stand-ins for Redis: the same contract the Redis adapters keep (seats apart from sequenced statuses). */
function memoryCache(): SeatMapCache & { has: (scheduleId: string) => boolean } {
  const layouts = new Map<string, SeatMap>();
  const statuses = new Map<string, { status: SeatStatus; sequence: number }>();
  const generations = new Map<string, number>();
  return {
    has: (scheduleId) => layouts.has(scheduleId),
    async read(scheduleId): Promise<CachedSeatMap> {
      const layout = layouts.get(scheduleId);
      const seats = layout?.seats.map((seat) => ({ ...seat, status: statuses.get(seat.id)?.status ?? seat.status }));
      return { map: layout && seats ? { ...layout, seats } : null, generation: generations.get(scheduleId) ?? 0 };
    },
    async writeIfCurrent(map, generation) {
      if ((generations.get(map.scheduleId) ?? 0) !== generation) return false;
      layouts.set(map.scheduleId, { ...map, seats: map.seats.map(({ statusSequence: _s, ...seat }) => seat) });
      for (const seat of map.seats) {
        if ((statuses.get(seat.id)?.sequence ?? -1) <= seat.statusSequence) statuses.set(seat.id, { status: seat.status, sequence: seat.statusSequence });
      }
      return true;
    },
    async applyStatusChanges(changes) {
      for (const change of changes) {
        for (const id of change.seatIds) {
          if ((statuses.get(id)?.sequence ?? -1) < change.sequence) statuses.set(id, { status: change.status, sequence: change.sequence });
        }
      }
    },
    async invalidate(scheduleIds) {
      for (const id of scheduleIds) {
        generations.set(id, (generations.get(id) ?? 0) + 1);
        layouts.delete(id);
      }
    },
  };
}

function memoryLock(): SeatMapRebuildLock & { held: Set<string> } {
  const held = new Set<string>();
  return {
    held,
    async tryAcquire(scheduleId) {
      if (held.has(scheduleId)) return null;
      held.add(scheduleId);
      return async () => {
        held.delete(scheduleId);
      };
    },
  };
}

const scheduleId = randomUUID();
const seats: ProjectedSeat[] = [
  { id: randomUUID(), scheduleId, section: 'A', row: '1', number: 2, price: 1, status: 'AVAILABLE', statusSequence: 0 },
  { id: randomUUID(), scheduleId, section: 'A', row: '1', number: 1, price: 1, status: 'SOLD', statusSequence: 7 },
];
const plain = (seat: ProjectedSeat): Seat => ({ id: seat.id, scheduleId, section: seat.section, row: seat.row, number: seat.number, price: seat.price, status: seat.status });

type FakeStore = { findSeatsOfSchedule: (id: string) => Promise<ProjectedSeat[]> };

function setUp(overrides: { store?: (cache: SeatMapCache) => FakeStore } = {}) {
  const cache = memoryCache();
  const lock = memoryLock();
  const reads: string[] = [];
  const sources: SeatMapSource[] = [];
  const store = overrides.store?.(cache) ?? {
    findSeatsOfSchedule: async (id: string) => {
      reads.push(id);
      return seats;
    },
  };
  const sleep = () => new Promise<void>((resolve) => setImmediate(resolve));
  const seatMap = getSeatMap({ store, cache, lock, sleep, pollIntervalMs: 20, maxWaitMs: 100, observe: (s) => sources.push(s) });
  return { cache, lock, reads, sources, seatMap };
}

describe('reading a seat map through the cache', () => {
  it('given a cold cache, when read, then PostgreSQL is read once, the map is stored in order (served without sequences) and the lock released', async () => {
    const { cache, lock, reads, sources, seatMap } = setUp();

    const map = await seatMap(scheduleId);

    expect(reads).toEqual([scheduleId]);
    expect(sources).toEqual(['rebuild']);
    expect(map.seats).toEqual([plain(seats[1]!), plain(seats[0]!)]);
    expect((await cache.read(scheduleId)).map).toEqual(map);
    expect(lock.held.size).toBe(0);
  });

  it('given a warm map, when a status change is applied, then the next read shows it without a rebuild', async () => {
    const { cache, reads, sources, seatMap } = setUp();
    await seatMap(scheduleId);

    await cache.applyStatusChanges([{ scheduleId, seatIds: [seats[0]!.id], status: 'HELD', sequence: 3 }]);

    expect((await seatMap(scheduleId)).seats.map((s) => s.status)).toEqual(['SOLD', 'HELD']);
    expect(reads).toHaveLength(1);
    expect(sources).toEqual(['rebuild', 'cache']);
  });

  it('given a warm cache, when read, then PostgreSQL is not read', async () => {
    const { reads, sources, seatMap } = setUp();
    await seatMap(scheduleId);

    await seatMap(scheduleId);

    expect(reads).toHaveLength(1);
    expect(sources).toEqual(['rebuild', 'cache']);
  });

  it('given 50 concurrent reads in one process, when the cache is cold, then they share one rebuild', async () => {
    const { reads, seatMap } = setUp();

    const maps = await Promise.all(Array.from({ length: 50 }, () => seatMap(scheduleId)));

    expect(reads).toHaveLength(1);
    expect(new Set(maps).size).toBe(1);
  });

  it('given another instance holds the lock, when it stores the map, then the waiting reader answers from the cache', async () => {
    const { cache, lock, reads, sources, seatMap } = setUp();
    lock.held.add(scheduleId);

    const reading = seatMap(scheduleId);
    await cache.writeIfCurrent({ scheduleId, builtAt: new Date(), seats }, 0);

    expect((await reading).seats).toEqual(seats.map(plain));
    expect(reads).toHaveLength(0);
    expect(sources).toEqual(['waited']);
  });

  it('given the lock holder never delivers, when the wait is over, then the reader falls back to PostgreSQL without caching', async () => {
    const { cache, lock, reads, sources, seatMap } = setUp();
    lock.held.add(scheduleId);

    const map = await seatMap(scheduleId);

    expect(map.seats).toHaveLength(2);
    expect(reads).toEqual([scheduleId]);
    expect(sources).toEqual(['fallback']);
    expect(cache.has(scheduleId)).toBe(false);
  });

  it('given an invalidation during a rebuild, when the rebuild finishes, then its (stale) map is not stored', async () => {
    const { cache, seatMap } = setUp({
      store: (shared) => ({
        findSeatsOfSchedule: async () => {
          await shared.invalidate([scheduleId]);
          return seats;
        },
      }),
    });

    await seatMap(scheduleId);

    expect(cache.has(scheduleId)).toBe(false);
  });

  it('given PostgreSQL fails during a rebuild, when read, then the error surfaces and the lock is released', async () => {
    const { lock, seatMap } = setUp({ store: () => ({ findSeatsOfSchedule: async () => Promise.reject(new Error('db down')) }) });

    await expect(seatMap(scheduleId)).rejects.toThrow('db down');
    expect(lock.held.size).toBe(0);
  });
});
