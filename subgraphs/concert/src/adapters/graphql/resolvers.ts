import DataLoader from 'dataloader';
import type { GraphQLError } from 'graphql';
import { clientError, ErrorCode, keyset, requireAdmin, type RequestIdentity } from '@ticketing/platform';
import type { addSeatsCommand } from '../../application/add-seats.command';
import type { createConcertCommand } from '../../application/create-concert.command';
import type { createScheduleCommand } from '../../application/create-schedule.command';
import type { ListConcertsResult } from '../../application/list-concerts.query';
import type { CatalogStore } from '../../application/ports';
import type { updateConcertCommand } from '../../application/update-concert.command';
import type { updateScheduleCommand } from '../../application/update-schedule.command';
import type { setSectionPriceCommand } from '../../application/set-section-price.command';
import type { closeSalesCommand } from '../../application/close-sales.command';
import type { openSalesCommand } from '../../application/open-sales.command';
import { canonicalId, isCatalogId, type InvalidInput, type Schedule } from '../../domain/catalog';
import type { SeatPosition, TooManySeats } from '../../domain/seat-layout';
import { availableSeatCount, seatsWithStatus, type SeatMap } from '../../domain/seat-map';
import { dateTimeScalar } from '@ticketing/platform';
import type { Resolvers } from './generated/resolvers-types';
import type { Context } from './models';

export interface ConcertUseCases {
  listConcerts: (args: { first?: number | null; after?: string | null }) => Promise<ListConcertsResult>;
  seatMap: (scheduleId: string) => Promise<SeatMap>;
  createConcert: ReturnType<typeof createConcertCommand>;
  updateConcert: ReturnType<typeof updateConcertCommand>;
  createSchedule: ReturnType<typeof createScheduleCommand>;
  updateSchedule: ReturnType<typeof updateScheduleCommand>;
  addSeats: ReturnType<typeof addSeatsCommand>;
  setSectionPrice: ReturnType<typeof setSectionPriceCommand>;
  closeSales: ReturnType<typeof closeSalesCommand>;
  openSales: ReturnType<typeof openSalesCommand>;
}

/** Every way the catalog's admin commands refuse a change. */
type CatalogRejection =
  | InvalidInput
  | { kind: 'ConcertNotFound' }
  | { kind: 'ScheduleNotFound' }
  | { kind: 'SeatsTaken'; seats: SeatPosition[] }
  | TooManySeats
  | { kind: 'SectionNotFound'; section: string }
  | { kind: 'PricesFrozen'; frozenAt: Date };

function catalogError(rejection: CatalogRejection): GraphQLError {
  switch (rejection.kind) {
    case 'InvalidInput':
      return clientError(ErrorCode.BAD_USER_INPUT, rejection.message, { field: rejection.field });
    case 'ConcertNotFound':
      return clientError(ErrorCode.NOT_FOUND, 'No such concert');
    case 'ScheduleNotFound':
      return clientError(ErrorCode.NOT_FOUND, 'No such schedule');
    case 'SeatsTaken':
      return clientError(ErrorCode.CONFLICT, 'Some of these seats exist already; nothing was added', { seats: rejection.seats });
    case 'TooManySeats':
      return clientError(ErrorCode.BAD_USER_INPUT, `The schedule would have more than ${rejection.max} seats (it has ${rejection.existing}, adding ${rejection.adding})`, {
        field: 'blocks',
        max: rejection.max,
      });
    case 'SectionNotFound':
      return clientError(ErrorCode.NOT_FOUND, `The schedule has no seats in section ${rejection.section}`, { field: 'section' });
    case 'PricesFrozen':
      return clientError(ErrorCode.PRICE_FROZEN, 'Prices are frozen: the waiting room has begun admitting fans', { frozenAt: rejection.frozenAt.toISOString() });
  }
}

/** DateTime inputs arrive as Date (the scalar parses them); the generated type also allows the wire's string. */
const asDate = (value: Date | string) => (value instanceof Date ? value : new Date(value));
const optionalDate = (value: Date | string | null | undefined) => (value == null ? value : asDate(value));

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
      concerts: async (_parent, args) => keyset.connectionOrThrow(await useCases.listConcerts(args)),
      concert: (_parent, { id }, context) => context.concertsById.load(id),
      schedule: (_parent, { id }, context) => context.schedulesById.load(id),
    },
    Mutation: {
      createConcert: async (_parent, { input }, context) => {
        requireAdmin(context.viewer);
        const result = await useCases.createConcert(input, context);
        if (result.kind !== 'ConcertCreated') throw catalogError(result);
        return result.concert;
      },
      updateConcert: async (_parent, { id, input }, context) => {
        requireAdmin(context.viewer);
        const result = await useCases.updateConcert(id, input, context);
        if (result.kind !== 'ConcertChanged' && result.kind !== 'ConcertUnchanged') throw catalogError(result);
        return result.concert;
      },
      createSchedule: async (_parent, { concertId, input }, context) => {
        requireAdmin(context.viewer);
        const request = { startsAt: asDate(input.startsAt), bookingOpensAt: asDate(input.bookingOpensAt), maxSeatsPerFan: input.maxSeatsPerFan ?? null, refundCutoffHours: input.refundCutoffHours ?? null };
        const result = await useCases.createSchedule(concertId, request, context);
        if (result.kind !== 'ScheduleCreated') throw catalogError(result);
        return result.schedule;
      },
      updateSchedule: async (_parent, { id, input }, context) => {
        requireAdmin(context.viewer);
        const request = { startsAt: optionalDate(input.startsAt), bookingOpensAt: optionalDate(input.bookingOpensAt), maxSeatsPerFan: input.maxSeatsPerFan ?? null, refundCutoffHours: input.refundCutoffHours ?? null };
        const result = await useCases.updateSchedule(id, request, context);
        if (result.kind !== 'ScheduleChanged' && result.kind !== 'ScheduleUnchanged') throw catalogError(result);
        return result.schedule;
      },
      addSeats: async (_parent, { scheduleId, blocks }, context) => {
        requireAdmin(context.viewer);
        const result = await useCases.addSeats(scheduleId, blocks, context);
        if (result.kind !== 'SeatsAdded') throw catalogError(result);
        return result.schedule;
      },
      setSectionPrice: async (_parent, { scheduleId, section, price }, context) => {
        requireAdmin(context.viewer);
        const result = await useCases.setSectionPrice(scheduleId, section, price, context);
        if (result.kind !== 'SectionPriceChanged' && result.kind !== 'SectionPriceUnchanged') throw catalogError(result);
        return result.schedule;
      },
      closeSales: async (_parent, { scheduleId, reason }, context) => {
        const admin = requireAdmin(context.viewer);
        const result = await useCases.closeSales(scheduleId, { reason }, { requestId: context.requestId, userId: admin.userId });
        if (result.kind !== 'SalesClosed' && result.kind !== 'SalesAlreadyClosed') throw catalogError(result);
        return result.schedule;
      },
      openSales: async (_parent, { scheduleId }, context) => {
        const admin = requireAdmin(context.viewer);
        const result = await useCases.openSales(scheduleId, { requestId: context.requestId, userId: admin.userId });
        if (result.kind !== 'SalesOpened' && result.kind !== 'SalesAlreadyOpen') throw catalogError(result);
        return result.schedule;
      },
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
      pricesFrozenAt: (schedule) => schedule.pricesFrozenAt ?? null,
      salesClosedAt: (schedule) => schedule.salesClosedAt ?? null,
    },
    Seat: {
      __resolveReference: (reference, context) => context.seatsById.load(reference.id),
      schedule: async (seat, _args, context) =>
        present(await context.schedulesById.load(seat.scheduleId), `schedule ${seat.scheduleId}`),
    },
  };
}
