import type { keyset } from '@ticketing/platform';
import type { CatalogSeat, EventEnvelope } from '@ticketing/contracts';
import type { Concert, Schedule, Seat } from '../domain/catalog';
import type { NewConcert, NewSchedule } from '../domain/catalog-events';
import type { SeatMap } from '../domain/seat-map';
import type { SeatPosition } from '../domain/seat-layout';
import type { SeatStatusChange } from '../domain/seat-projection';

/**
 * The catalog in PostgreSQL. Lookups by id take ids already known to be UUIDs and return
 * only what exists, in any order; callers match rows to ids.
 */
export interface CatalogStore {
  /** Newest first, strictly after `after` in that order; at most `limit` rows. */
  listConcerts(after: keyset.KeysetCursor | null, limit: number): Promise<Concert[]>;
  findConcertsByIds(ids: readonly string[]): Promise<Concert[]>;
  findSchedulesByIds(ids: readonly string[]): Promise<Schedule[]>;
  /** Every schedule of these concerts, earliest start first. */
  findSchedulesByConcertIds(concertIds: readonly string[]): Promise<Schedule[]>;
  findSeatsByIds(ids: readonly string[]): Promise<Seat[]>;
  /** With each seat's status sequence: a seat-map rebuild merges by it (see SeatMapCache). */
  findSeatsOfSchedule(scheduleId: string): Promise<ProjectedSeat[]>;
}

/** A seat with the seatSequence of the change that gave it its status (0: never changed). */
export interface ProjectedSeat extends Seat {
  statusSequence: number;
}

/** Seat statuses as the catalog projects them, inside the transaction that records the event. */
export interface SeatStatusProjection {
  /**
   * Gives the change's status to those of its seats (of that schedule only) whose last applied
   * sequence is smaller, and answers exactly those seats as they are now. A late or repeated
   * change answers none.
   */
  apply(change: SeatStatusChange): Promise<Seat[]>;
}

/**
 * Tells live subscribers (the gateway's seatsUpdated) which seats of a schedule changed. Shares
 * the SeatMapCache's Redis connection, so news sent right after a cache change (without waiting
 * for its answer) reaches subscribers after the cache took it: Redis runs one connection's
 * commands in the order they were sent.
 */
export interface SeatChangesPublisher {
  publish(scheduleId: string, seats: readonly Seat[], at: Date): Promise<void>;
}

export interface CachedSeatMap {
  map: SeatMap | null;
  /** Changes on every invalidation; a rebuild may only store a map read under the same generation. */
  generation: number;
}

/** A schedule's seats as a rebuild read them from PostgreSQL, each with its status sequence. */
export interface RebuiltSeatMap extends SeatMap {
  seats: readonly ProjectedSeat[];
}

/**
 * Shared seat maps (Redis), per schedule in two parts: the seats (section, row, number, price),
 * which only invalidation and rebuilds write, and each seat's status with the sequence that set
 * it, which status changes update in place. A seat's cached status, like its row, only moves to
 * a larger sequence, so whichever of a change and a rebuild writes second, the newer status stays.
 */
export interface SeatMapCache {
  /** Null map when either part is missing or unreadable, or a seat has no status: a miss. */
  read(scheduleId: string): Promise<CachedSeatMap>;
  /**
   * Stores the seats unless the schedule was invalidated after `generation` was read, and merges
   * their statuses: a cached status with a larger sequence (a change that committed after the
   * rebuild read PostgreSQL) is kept.
   */
  writeIfCurrent(map: RebuiltSeatMap, generation: number): Promise<boolean>;
  /**
   * Committed status changes, applied in place to the seats that took them (each change's
   * `seatIds`): a seat takes a change only if its sequence beats the seat's cached one, as in
   * PostgreSQL, so several changes of one seat end as the largest sequence left it, whatever
   * their order.
   */
  applyStatusChanges(changes: readonly SeatStatusChange[]): Promise<void>;
  /** Forgets the schedule's map (seats and statuses) for a rebuild: seats or prices changed. */
  invalidate(scheduleIds: readonly string[]): Promise<void>;
}

export type ReleaseLock = () => Promise<void>;

/** A short lease that lets one caller across all instances rebuild a schedule's seat map. */
export interface SeatMapRebuildLock {
  /** Null when another caller holds it; never waits. */
  tryAcquire(scheduleId: string): Promise<ReleaseLock | null>;
}

/** Streams of the catalog: a concert's, and each schedule's (its seats and prices too). */
export type CatalogStream = 'concert' | 'schedule';

/** One transaction on the catalog: rows and their events commit together or not at all. */
export interface CatalogTransaction {
  /** Throws CatalogRowExists when the id is taken. Answers the concert as stored (with its creation time). */
  insertConcert(concert: NewConcert): Promise<Concert>;
  insertSchedule(schedule: NewSchedule): Promise<'inserted' | 'ConcertNotFound'>;
  insertSeats(scheduleId: string, seats: readonly CatalogSeat[]): Promise<void>;
  /**
   * The concert, its row locked until the transaction ends, so a read-decide-write of its
   * details (and of its stream version) cannot interleave with another. Null when it does not exist.
   */
  lockConcert(id: string): Promise<Concert | null>;
  /** Writes the concert's details as given (the caller locked the row and decided them). */
  updateConcert(concert: Concert): Promise<void>;
  /** The schedule, its row locked until the transaction ends: writers of its terms and seats queue here. */
  lockSchedule(id: string): Promise<Schedule | null>;
  /** Writes the schedule's terms and sales close as given (the caller locked the row and decided them). */
  updateSchedule(schedule: Schedule): Promise<void>;
  countSeats(scheduleId: string): Promise<number>;
  /** Those of `positions` that the schedule already has a seat at (at most `limit` of them). */
  findTakenSeats(scheduleId: string, positions: readonly SeatPosition[], limit: number): Promise<SeatPosition[]>;
  /**
   * Reserves `count` positions of a stream under its row's lock and answers the first, so events
   * of one stream are numbered without gaps or twins however many writers there are. Null when
   * the row does not exist.
   */
  claimVersions(stream: CatalogStream, id: string, count: number): Promise<number | null>;
  appendToOutbox(envelopes: readonly EventEnvelope[]): Promise<void>;
  concertCount(): Promise<number>;
  /** Marks the schedule's prices frozen at `at` (the caller locked the row and decided it). */
  freezePrices(scheduleId: string, at: Date): Promise<void>;
  /** The distinct prices of the section's seats, lowest first; empty when it has none. */
  sectionPrices(scheduleId: string, section: string): Promise<number[]>;
  /** Gives every seat of the section this price. */
  setSectionPrice(scheduleId: string, section: string, price: number): Promise<void>;
}

/** A catalog id (concert, schedule or seat) that is already taken: the row was written before. */
export class CatalogRowExists extends Error {}

export interface CatalogWriter {
  transact<T>(work: (tx: CatalogTransaction) => Promise<T>): Promise<T>;
}
