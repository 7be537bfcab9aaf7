import { clientError, ErrorCode, requireAdmin, requireViewer } from '@ticketing/platform';
import type { enterQueue, EnterQueueResult } from '../../application/enter-queue.command';
import type { getQueuePolicy, GetQueuePolicyResult } from '../../application/get-queue-policy.query';
import type { getQueueStats, GetQueueStatsResult, QueueStats } from '../../application/get-queue-stats.query';
import type { getQueueTicket, GetQueueTicketResult } from '../../application/get-queue-ticket.query';
import type { setQueuePolicy, SetQueuePolicyResult } from '../../application/set-queue-policy.command';
import type { AdmissionPolicy } from '../../domain/admission-policy';
import type { QueueTicketView } from '../../domain/queue-ticket';
import { dateTimeScalar } from '@ticketing/platform';
import type { Resolvers } from './generated/resolvers-types';

export interface QueueUseCases {
  getQueuePolicy: ReturnType<typeof getQueuePolicy>;
  setQueuePolicy: ReturnType<typeof setQueuePolicy>;
  enterQueue: ReturnType<typeof enterQueue>;
  getQueueTicket: ReturnType<typeof getQueueTicket>;
  getQueueStats: ReturnType<typeof getQueueStats>;
}

/*
 * The one place where queue-subgraph outcomes become GraphQL errors.
 */

const invalidScheduleId = () => clientError(ErrorCode.BAD_USER_INPUT, 'scheduleId is not a schedule id', { field: 'scheduleId' });

function policyOrThrow(result: GetQueuePolicyResult | SetQueuePolicyResult): AdmissionPolicy {
  switch (result.kind) {
    case 'Found':
    case 'PolicySet':
      return result.policy;
    case 'InvalidScheduleId':
      throw invalidScheduleId();
    case 'ScheduleNotFound':
      throw clientError(ErrorCode.NOT_FOUND, 'No such schedule');
    case 'OutOfRange':
      throw clientError(ErrorCode.BAD_USER_INPUT, `${result.field} must be between ${result.min} and ${result.max}`, {
        field: result.field,
      });
    case 'NothingToChange':
      throw clientError(ErrorCode.BAD_USER_INPUT, 'Give at least one of admitsPerSecond, maxActive, paused');
  }
}

function ticketOrThrow(result: EnterQueueResult | GetQueueTicketResult): QueueTicketView {
  switch (result.kind) {
    case 'Entered':
    case 'Found':
      return result.ticket;
    case 'InvalidScheduleId':
      throw invalidScheduleId();
    case 'ScheduleNotFound':
      throw clientError(ErrorCode.NOT_FOUND, 'No such schedule');
    case 'TokenInvalid':
      // One answer for every reason: a prober learns nothing about other people's tickets.
      throw clientError(ErrorCode.QUEUE_TOKEN_INVALID, 'This queue token is not valid for you');
    case 'SalesClosed':
      throw clientError(ErrorCode.INVALID_STATE, 'Sales of this schedule are closed', { reason: 'SALES_CLOSED' });
  }
}

function statsOrThrow(result: GetQueueStatsResult): QueueStats {
  switch (result.kind) {
    case 'Found':
      return result.stats;
    case 'InvalidScheduleId':
      throw invalidScheduleId();
  }
}

export function createResolvers(useCases: QueueUseCases): Resolvers {
  return {
    DateTime: dateTimeScalar,
    Query: {
      queuePolicy: async (_parent, { scheduleId }, context) => {
        requireAdmin(context.viewer);
        return policyOrThrow(await useCases.getQueuePolicy(scheduleId));
      },
      queueTicket: async (_parent, { token }, context) => {
        const fan = requireViewer(context.viewer);
        return ticketOrThrow(await useCases.getQueueTicket(fan.userId, token));
      },
      queueStats: async (_parent, { scheduleId }, context) => {
        requireAdmin(context.viewer);
        return statsOrThrow(await useCases.getQueueStats(scheduleId));
      },
    },
    Mutation: {
      setQueuePolicy: async (_parent, { scheduleId, admitsPerSecond, maxActive, paused }, context) => {
        const admin = requireAdmin(context.viewer);
        return policyOrThrow(await useCases.setQueuePolicy(admin.userId, { scheduleId, admitsPerSecond, maxActive, paused }));
      },
      enterQueue: async (_parent, { scheduleId }, context) => {
        const fan = requireViewer(context.viewer);
        return ticketOrThrow(await useCases.enterQueue(fan.userId, scheduleId));
      },
      pauseQueue: async (_parent, { scheduleId }, context) => {
        const admin = requireAdmin(context.viewer);
        return policyOrThrow(await useCases.setQueuePolicy(admin.userId, { scheduleId, paused: true }));
      },
      resumeQueue: async (_parent, { scheduleId }, context) => {
        const admin = requireAdmin(context.viewer);
        return policyOrThrow(await useCases.setQueuePolicy(admin.userId, { scheduleId, paused: false }));
      },
    },
  };
}
