import { clientError, ErrorCode, requireAdmin } from '@ticketing/platform';
import type { getQueuePolicy, GetQueuePolicyResult } from '../../application/get-queue-policy.query';
import type { setQueuePolicy, SetQueuePolicyResult } from '../../application/set-queue-policy.command';
import type { AdmissionPolicy } from '../../domain/admission-policy';
import type { Resolvers } from './generated/resolvers-types';

export interface QueueUseCases {
  getQueuePolicy: ReturnType<typeof getQueuePolicy>;
  setQueuePolicy: ReturnType<typeof setQueuePolicy>;
}

/** The one place where queue-subgraph outcomes become GraphQL errors. */
function policyOrThrow(result: GetQueuePolicyResult | SetQueuePolicyResult): AdmissionPolicy {
  switch (result.kind) {
    case 'Found':
    case 'PolicySet':
      return result.policy;
    case 'InvalidScheduleId':
      throw clientError(ErrorCode.BAD_USER_INPUT, 'scheduleId is not a schedule id', { field: 'scheduleId' });
    case 'OutOfRange':
      throw clientError(ErrorCode.BAD_USER_INPUT, `${result.field} must be between ${result.min} and ${result.max}`, {
        field: result.field,
      });
    case 'NothingToChange':
      throw clientError(ErrorCode.BAD_USER_INPUT, 'Give at least one of admitsPerSecond, maxActive, paused');
  }
}

export function createResolvers(useCases: QueueUseCases): Resolvers {
  return {
    Query: {
      queuePolicy: async (_parent, { scheduleId }, context) => {
        requireAdmin(context.viewer);
        return policyOrThrow(await useCases.getQueuePolicy(scheduleId));
      },
    },
    Mutation: {
      setQueuePolicy: async (_parent, { scheduleId, admitsPerSecond, maxActive, paused }, context) => {
        const admin = requireAdmin(context.viewer);
        return policyOrThrow(await useCases.setQueuePolicy(admin.userId, { scheduleId, admitsPerSecond, maxActive, paused }));
      },
    },
    QueuePolicy: {
      updatedAt: (policy) => policy.updatedAt?.toISOString() ?? null,
    },
  };
}
