import type { Concert, Schedule, Seat, SeatStatus } from '../domain/catalog';
import type { ConcertCursor } from '../domain/concert-page';
import type { SeatMap } from '../domain/seat-map';

/**
 * The catalog in PostgreSQL. Lookups by id take ids already known to be UUIDs and return
 * only what exists, in any order; callers match rows to ids.
 */
export interface CatalogStore {
  /** Newest first, strictly after `after` in that order; at most `limit` rows. */
  listConcerts(after: ConcertCursor | null, limit: number): Promise<Concert[]>;
  findConcertsByIds(ids: readonly string[]): Promise<Concert[]>;
  findSchedulesByIds(ids: readonly string[]): Promise<Schedule[]>;
  /** Every schedule of these concerts, earliest start first. */
  findSchedulesByConcertIds(concertIds: readonly string[]): Promise<Schedule[]>;
  findSeatsByIds(ids: readonly string[]): Promise<Seat[]>;
  findSeatsOfSchedule(scheduleId: string): Promise<Seat[]>;
  /**
   * Sets the status of these seats of one schedule (seats of other schedules are ignored) and
   * bumps their version; answers how many seats actually changed.
   */
  setSeatStatuses(scheduleId: string, seatIds: readonly string[], status: SeatStatus): Promise<number>;
}

export interface CachedSeatMap {
  map: SeatMap | null;
  /** Changes on every invalidation; a rebuild may only store a map read under the same generation. */
  generation: number;
}

/** Shared seat maps (Redis), one entry per schedule. */
export interface SeatMapCache {
  read(scheduleId: string): Promise<CachedSeatMap>;
  /**
   * Stores the map unless the schedule was invalidated after `generation` was read, so a slow
   * rebuild never overwrites a newer status change with the seats it read before it.
   */
  writeIfCurrent(map: SeatMap, generation: number): Promise<boolean>;
  invalidate(scheduleIds: readonly string[]): Promise<void>;
}

export type ReleaseLock = () => Promise<void>;

/** A short lease that lets one caller across all instances rebuild a schedule's seat map. */
export interface SeatMapRebuildLock {
  /** Null when another caller holds it; never waits. */
  tryAcquire(scheduleId: string): Promise<ReleaseLock | null>;
}
