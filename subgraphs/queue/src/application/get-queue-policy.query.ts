import { defaultPolicy, parseScheduleId, type AdmissionPolicy, type PolicySettings } from '../domain/admission-policy';
import type { AdmissionPolicyStore } from './ports';

export type GetQueuePolicyResult = { kind: 'Found'; policy: AdmissionPolicy } | { kind: 'InvalidScheduleId' };

/** The policy in force for a schedule: the stored one, else the deployment defaults. */
export function getQueuePolicy(deps: { policies: AdmissionPolicyStore; defaults: PolicySettings }) {
  return async (scheduleIdInput: string): Promise<GetQueuePolicyResult> => {
    const scheduleId = parseScheduleId(scheduleIdInput);
    if (!scheduleId) return { kind: 'InvalidScheduleId' };
    const stored = await deps.policies.find(scheduleId);
    return { kind: 'Found', policy: stored ?? defaultPolicy(scheduleId, deps.defaults) };
  };
}
