import type { AdmissionPolicy, PolicySettings } from '../domain/admission-policy';

export interface PolicyUpdate {
  /** The settings in force when none is stored yet. */
  defaults: PolicySettings;
  /** Pure: the next settings from the current ones. */
  decide: (current: PolicySettings) => PolicySettings;
  /** Who changes it (the admin's user id), recorded on the policy and in the audit. */
  actor: string;
}

/** Stored admission policies and their audit trail. */
export interface AdmissionPolicyStore {
  find(scheduleId: string): Promise<AdmissionPolicy | null>;
  /**
   * Applies `decide` to the current settings under a row lock and writes the result together
   * with an audit row (before, after, actor) in one transaction: concurrent admins serialise,
   * and no change is ever stored without its audit entry.
   */
  update(scheduleId: string, update: PolicyUpdate): Promise<AdmissionPolicy>;
}
