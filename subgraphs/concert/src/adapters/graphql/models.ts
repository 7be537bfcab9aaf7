import type DataLoader from 'dataloader';
import type { RequestIdentity } from '@ticketing/platform';
import type { Concert, Schedule, Seat } from '../../domain/catalog';

/**
 * What the concert subgraph's resolvers receive: the verified caller and per-request loaders,
 * so N entity references (federation fan-in) cost one SQL statement per entity type.
 */
export interface Context extends RequestIdentity {
  concertsById: DataLoader<string, Concert | null>;
  schedulesById: DataLoader<string, Schedule | null>;
  seatsById: DataLoader<string, Seat | null>;
  schedulesByConcertId: DataLoader<string, Schedule[]>;
}

export type ConcertModel = Concert;
export type ScheduleModel = Schedule;
/** A seat from the cached seat map or from PostgreSQL; `status` is as of that read. */
export type SeatModel = Seat;
