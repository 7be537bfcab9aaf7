import { clientError, dateTimeScalar, ErrorCode, requireAdmin, requireViewer, Role } from '@ticketing/platform';
import type { StoredEvent } from '@ticketing/event-store';
import type { StreamPageRequest, StreamPageResult } from '../../application/read-stream.query';
import type { TimelineAccess } from '../../domain/booking-timeline';
import { conversion, seatsAvailable, type SalesDashboard } from '../../domain/sales-dashboard';
import type { Resolvers } from './generated/resolvers-types';
import { jsonScalar } from './json.scalar';

export interface HistoryUseCases {
  readTimeline: (viewer: { userId: string; isAdmin: boolean }, bookingId: string) => Promise<TimelineAccess>;
  readStreamEvents: (request: StreamPageRequest) => Promise<StreamPageResult>;
  readSalesDashboard: (scheduleId: string) => Promise<SalesDashboard | null>;
}

const toStoredEventView = (event: StoredEvent) => ({
  position: String(event.globalPosition),
  eventId: event.eventId,
  type: event.type,
  schemaVersion: event.schemaVersion,
  streamType: event.stream.type,
  streamId: event.stream.id,
  streamVersion: event.streamVersion,
  occurredAt: event.occurredAt,
  recordedAt: event.recordedAt,
  correlationId: event.correlationId,
  causationId: event.causationId,
  payload: event.payload,
});

/** The one place where history outcomes become GraphQL errors. */
function pageOrError(result: StreamPageResult) {
  switch (result.kind) {
    case 'Page':
      return { nodes: result.page.nodes.map(toStoredEventView), pageInfo: result.page.pageInfo };
    case 'InvalidInput':
      throw clientError(ErrorCode.BAD_USER_INPUT, result.message, { field: result.field });
  }
}

function timelineOrError(access: TimelineAccess) {
  switch (access.kind) {
    case 'Visible':
      return access.entries.map(({ at, type, service, summary, eventId }) => ({ at, type, service, summary, eventId }));
    case 'NothingRecorded':
      return [];
    case 'NotYours':
      throw clientError(ErrorCode.FORBIDDEN, "Another user's booking is private");
  }
}

function salesDashboardOrError(dashboard: SalesDashboard | null) {
  if (!dashboard) throw clientError(ErrorCode.NOT_FOUND, 'No sales recorded for this schedule (yet)');
  return {
    ...dashboard,
    seatsAvailable: seatsAvailable(dashboard),
    conversion: conversion(dashboard),
    asOfPosition: String(dashboard.asOfPosition),
  };
}

export function createResolvers(useCases: HistoryUseCases): Resolvers {
  return {
    DateTime: dateTimeScalar,
    JSON: jsonScalar,
    Query: {
      streamEvents: async (_parent, args, context) => {
        requireAdmin(context.viewer);
        return pageOrError(await useCases.readStreamEvents(args));
      },
      salesDashboard: async (_parent, { scheduleId }, context) => {
        requireAdmin(context.viewer);
        return salesDashboardOrError(await useCases.readSalesDashboard(scheduleId));
      },
    },
    Booking: {
      // No __resolveReference: the representation's id is all the timeline needs, and the field checks who asks.
      timeline: async (booking, _args, context) => {
        const viewer = requireViewer(context.viewer);
        return timelineOrError(await useCases.readTimeline({ userId: viewer.userId, isAdmin: viewer.role === Role.ADMIN }, booking.id));
      },
    },
  };
}
