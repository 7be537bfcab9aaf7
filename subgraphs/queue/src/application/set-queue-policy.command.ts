import {
  applyPolicyChange,
  parseScheduleId,
  validatePolicyChange,
  type AdmissionPolicy,
  type PolicyChangeRejection,
  type PolicyChangeRequest,
  type PolicySettings,
} from '../domain/admission-policy';
import { stampEnvelopes } from '@ticketing/messaging';
import { policyChanged } from '../domain/queue-events';
import type { AdmissionPolicyStore, ScheduleCatalog, WaitingRoom } from './ports';

export type SetQueuePolicyResult =
  | { kind: 'PolicySet'; policy: AdmissionPolicy }
  | { kind: 'InvalidScheduleId' }
  | { kind: 'ScheduleNotFound' }
  | PolicyChangeRejection;

/**
 * An admin changes some settings of a schedule's policy; the rest keep their current value.
 * PostgreSQL (with its audit row) is the record; the waiting room's copy is refreshed right
 * after, so a pause stops admissions from the next tick on. Should that refresh fail, the
 * admission workers re-read the stored policy within seconds. A schedule the catalog does not
 * know gets no policy row: nothing is written for a typo'd or made-up id. The change's events
 * (rate or cap changed, paused, resumed) go on the schedule's `queue` stream in the same
 * transaction; setting what is already set writes an audit row but no event.
 */
export function setQueuePolicy(deps: {
  policies: AdmissionPolicyStore;
  defaults: PolicySettings;
  room: Pick<WaitingRoom, 'applyPolicy'>;
  catalog: ScheduleCatalog;
  now: () => Date;
  newId: () => string;
}) {
  return async (adminId: string, request: PolicyChangeRequest & { scheduleId: string }): Promise<SetQueuePolicyResult> => {
    const scheduleId = parseScheduleId(request.scheduleId);
    if (!scheduleId) return { kind: 'InvalidScheduleId' };
    const valid = validatePolicyChange(request);
    if (valid.kind !== 'Valid') return valid;
    if (!(await deps.catalog.find(scheduleId))) return { kind: 'ScheduleNotFound' };
    // One correlation id per admin change: its events (up to two) trace back to it together.
    const correlationId = deps.newId();
    const policy = await deps.policies.update(scheduleId, {
      defaults: deps.defaults,
      decide: (current) => {
        const settings = applyPolicyChange(current, valid.change);
        return { settings, events: policyChanged(scheduleId, adminId, current, settings) };
      },
      stamp: (events, fromVersion) =>
        stampEnvelopes(events, { streamId: scheduleId, fromVersion, correlationId, causationId: null, now: deps.now(), newId: deps.newId }),
      actor: adminId,
    });
    await deps.room.applyPolicy(policy);
    return { kind: 'PolicySet', policy };
  };
}
