/**
 * A schedule's admission policy: how fast the waiting room lets fans through and how many may
 * shop at once. Pure rules for what a valid policy change is.
 */

export interface PolicySettings {
  admitsPerSecond: number;
  maxActive: number;
  paused: boolean;
}

export interface AdmissionPolicy extends PolicySettings {
  scheduleId: string;
  /** When an admin last changed it; null while the schedule runs on the deployment defaults. */
  updatedAt: Date | null;
}

/**
 * Bounds an admin can set. The floor keeps a live queue moving; the ceilings are far above
 * what one PostgreSQL behind the gateway can serve, so a typo cannot open the floodgates.
 */
export const ADMITS_PER_SECOND = { min: 1, max: 10_000 } as const;
export const MAX_ACTIVE = { min: 1, max: 1_000_000 } as const;

/** The settings to change; absent ones keep their current value. */
export type PolicyChange = Partial<PolicySettings>;

export type PolicyChangeRejection =
  | { kind: 'NothingToChange' }
  | { kind: 'OutOfRange'; field: 'admitsPerSecond' | 'maxActive'; min: number; max: number };

export interface PolicyChangeRequest {
  admitsPerSecond?: number | null;
  maxActive?: number | null;
  paused?: boolean | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Schedule ids are UUIDs (any PostgreSQL accepts), compared in lower case. */
export function parseScheduleId(value: string): string | null {
  return UUID.test(value) ? value.toLowerCase() : null;
}

export function defaultPolicy(scheduleId: string, defaults: PolicySettings): AdmissionPolicy {
  return { scheduleId, ...defaults, updatedAt: null };
}

const within = (value: number, range: { min: number; max: number }) =>
  Number.isInteger(value) && value >= range.min && value <= range.max;

/** null or absent means "keep as is"; a request that keeps everything is refused as a no-op. */
export function validatePolicyChange(request: PolicyChangeRequest): { kind: 'Valid'; change: PolicyChange } | PolicyChangeRejection {
  const change: PolicyChange = {};
  if (request.admitsPerSecond != null) {
    if (!within(request.admitsPerSecond, ADMITS_PER_SECOND)) return { kind: 'OutOfRange', field: 'admitsPerSecond', ...ADMITS_PER_SECOND };
    change.admitsPerSecond = request.admitsPerSecond;
  }
  if (request.maxActive != null) {
    if (!within(request.maxActive, MAX_ACTIVE)) return { kind: 'OutOfRange', field: 'maxActive', ...MAX_ACTIVE };
    change.maxActive = request.maxActive;
  }
  if (request.paused != null) change.paused = request.paused;
  if (Object.keys(change).length === 0) return { kind: 'NothingToChange' };
  return { kind: 'Valid', change };
}

export function applyPolicyChange(current: PolicySettings, change: PolicyChange): PolicySettings {
  return {
    admitsPerSecond: change.admitsPerSecond ?? current.admitsPerSecond,
    maxActive: change.maxActive ?? current.maxActive,
    paused: change.paused ?? current.paused,
  };
}
