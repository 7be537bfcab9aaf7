import { parseScheduleId, type PolicySettings } from '../domain/admission-policy';
import type { AdmissionPolicyStore, WaitingRoom } from './ports';

export interface QueueStats {
  scheduleId: string;
  waiting: number;
  preQueue: number;
  active: number;
  admitted: number;
  /** The rate admissions run at now (observed), else the policy's. */
  admitsPerSecond: number;
  maxActive: number;
  paused: boolean;
}

export type GetQueueStatsResult = { kind: 'Found'; stats: QueueStats } | { kind: 'InvalidScheduleId' };

/** An admin's view of a waiting room: live counts from Redis, the policy from PostgreSQL. */
export function getQueueStats(deps: { room: WaitingRoom; policies: AdmissionPolicyStore; defaults: PolicySettings }) {
  return async (scheduleIdInput: string): Promise<GetQueueStatsResult> => {
    const scheduleId = parseScheduleId(scheduleIdInput);
    if (!scheduleId) return { kind: 'InvalidScheduleId' };
    const [counts, stored] = await Promise.all([deps.room.counts(scheduleId), deps.policies.find(scheduleId)]);
    const policy = stored ?? deps.defaults;
    return {
      kind: 'Found',
      stats: {
        scheduleId,
        waiting: counts.waiting,
        preQueue: counts.preQueue,
        active: counts.active,
        admitted: counts.admitted,
        admitsPerSecond: counts.admitsPerSecond ?? policy.admitsPerSecond,
        maxActive: policy.maxActive,
        paused: policy.paused,
      },
    };
  };
}
