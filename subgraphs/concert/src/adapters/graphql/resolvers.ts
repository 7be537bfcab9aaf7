import DataLoader from 'dataloader';
import { clientError, ErrorCode, type RequestIdentity } from '@ticketing/platform';
import type { ListConcertsResult } from '../../application/list-concerts.query';
import type { CatalogStore } from '../../application/ports';
import { canonicalId, isCatalogId, type Schedule } from '../../domain/catalog';
import { availableSeatCount, seatsWithStatus, type SeatMap } from '../../domain/seat-map';
import { dateTimeScalar } from '@ticketing/platform';
import type { Resolvers } from './generated/resolvers-types';
import type { Context } from './models';

export interface ConcertUseCases {
  listConcerts: (args: { first?: number | null; after?: string | null }) => Promise<ListConcertsResult>;
  seatMap: (scheduleId: string) => Promise<SeatMap>;
}

/** The one place where concert-subgraph outcomes become GraphQL errors. */
function toConnection(result: ListConcertsResult) {
  switch (result.kind) {
    case 'ConcertPage':
      return { nodes: result.nodes, pageInfo: result.pageInfo };
    case 'InvalidPageSize':
      throw clientError(ErrorCode.BAD_USER_INPUT, `first must be between ${result.min} and ${result.max}`, { field: 'first' });
    case 'InvalidCursor':
      throw clientError(ErrorCode.BAD_USER_INPUT, 'after is not a cursor from this list', { field: 'after' });
  }
}

/** Loads by id in one query per batch; ids that are not UUIDs are simply not found. */
function byIdLoader<T extends { id: string }>(find: (ids: string[]) => Promise<T[]>) {
  return new DataLoader<string, T | null>(async (ids) => {
    const wanted = [...new Set(ids.filter(isCatalogId).map(canonicalId))];
    const found = new Map((wanted.length > 0 ? await find(wanted) : []).map((row) => [row.id, row]));
    return ids.map((id) => found.get(canonicalId(id)) ?? null);
  });
}

export function createContextFactory(store: CatalogStore) {
  return (identity: RequestIdentity): Context => ({
    ...identity,
    concertsById: byIdLoader((ids) => store.findConcertsByIds(ids)),
    schedulesById: byIdLoader((ids) => store.findSchedulesByIds(ids)),
    seatsById: byIdLoader((ids) => store.findSeatsByIds(ids)),
    schedulesByConcertId: new DataLoader<string, Schedule[]>(async (concertIds) => {
      const byConcert = new Map<string, Schedule[]>();
      for (const schedule of await store.findSchedulesByConcertIds(concertIds)) {
        byConcert.set(schedule.concertId, [...(byConcert.get(schedule.concertId) ?? []), schedule]);
      }
      return concertIds.map((id) => byConcert.get(id) ?? []);
    }),
  });
}

/** A parent that must exist (foreign keys guarantee it); its absence is a bug, not a client error. */
function present<T>(value: T | null, what: string): T {
  if (value === null) throw new Error(`${what} is missing`);
  return value;
}

export function createResolvers(useCases: ConcertUseCases): Resolvers {
  return {
    DateTime: dateTimeScalar,
    Query: {
      concerts: async (_parent, args) => toConnection(await useCases.listConcerts(args)),
      concert: (_parent, { id }, context) => context.concertsById.load(id),
      schedule: (_parent, { id }, context) => context.schedulesById.load(id),
    },
    Concert: {
      __resolveReference: (reference, context) => context.concertsById.load(reference.id),
      schedules: (concert, _args, context) => context.schedulesByConcertId.load(concert.id),
    },
    Schedule: {
      __resolveReference: (reference, context) => context.schedulesById.load(reference.id),
      concert: async (schedule, _args, context) =>
        present(await context.concertsById.load(schedule.concertId), `concert ${schedule.concertId}`),
      seats: async (schedule, { status }) => seatsWithStatus(await useCases.seatMap(schedule.id), status ?? null),
      availableSeatCount: async (schedule) => availableSeatCount(await useCases.seatMap(schedule.id)),
    },
    Seat: {
      __resolveReference: (reference, context) => context.seatsById.load(reference.id),
      schedule: async (seat, _args, context) =>
        present(await context.schedulesById.load(seat.scheduleId), `schedule ${seat.scheduleId}`),
    },
  };
}
