import type { UserLocked, UserRegistered, UserRoleChanged, UserUnlocked } from '@ticketing/contracts';

/** Pure rules for accounts: what a valid sign-up is, and how an e-mail is compared. */

export type Role = 'USER' | 'ADMIN';

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  /** A locked account cannot log in, and its tokens are refused by every process. */
  locked: boolean;
  /** The admin's reason while locked; shown to admins only. */
  lockedReason: string | null;
}

export interface SignUpRequest {
  email: string;
  password: string;
  name: string;
}

export type SignUpRejection =
  | { kind: 'InvalidEmail' }
  | { kind: 'PasswordTooShort'; minLength: number }
  | { kind: 'PasswordTooLong'; maxLength: number }
  | { kind: 'InvalidName' };

export const PASSWORD_MIN_LENGTH = 8;
/** Bounded so a megabyte "password" cannot make the KDF a denial-of-service lever. */
export const PASSWORD_MAX_LENGTH = 128;
const NAME_MAX_LENGTH = 100;
const EMAIL_MAX_LENGTH = 254;
// Deliberately plain: one @, no spaces, a dot in the domain. Deliverability is not our check.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

/** E-mails are case-insensitive for sign-in: `Fan@X.com` and `fan@x.com` are one account. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function validateSignUp(request: SignUpRequest): SignUpRejection | SignUpRequest {
  const email = normalizeEmail(request.email);
  if (email.length > EMAIL_MAX_LENGTH || !EMAIL_PATTERN.test(email)) return { kind: 'InvalidEmail' };
  if (request.password.length < PASSWORD_MIN_LENGTH) return { kind: 'PasswordTooShort', minLength: PASSWORD_MIN_LENGTH };
  if (request.password.length > PASSWORD_MAX_LENGTH) return { kind: 'PasswordTooLong', maxLength: PASSWORD_MAX_LENGTH };
  const name = request.name.trim();
  if (name.length === 0 || name.length > NAME_MAX_LENGTH || CONTROL_CHARACTERS.test(name)) return { kind: 'InvalidName' };
  return { email, password: request.password, name };
}

export function isRejection(value: SignUpRejection | SignUpRequest): value is SignUpRejection {
  return 'kind' in value;
}

/** An account as its event stream sees it: no e-mail, no name (those never leave this database). */
export interface AccountFacts {
  id: string;
  role: Role;
  locked: boolean;
  /** The account's stream version: 0 once registered, +1 per role change, lock or unlock. */
  version: number;
}

/** The account's first event, at stream version 0. Only the id, the role and the time: no personal data. */
export function registered(account: { id: string; role: Role }, now: Date): { type: 'UserRegistered'; payload: UserRegistered } {
  return { type: 'UserRegistered', payload: { userId: account.id, role: account.role, registeredAt: now.toISOString() } };
}

/**
 * Who asks for an account change, and how many other admins could still run the back office
 * without the target (unlocked admins other than the target, counted under the admins' lock).
 */
export interface AdminAct {
  adminId: string;
  otherActiveAdmins: number;
}

/** Refusals that keep the back office reachable: someone must always be able to unlock and promote. */
export type AdminRejection =
  /** The change would leave no unlocked admin. */
  | { kind: 'LastAdmin' }
  /** An admin locking their own account would lose the session that can undo it. */
  | { kind: 'SelfLock' };

const isActiveAdmin = (account: AccountFacts) => account.role === 'ADMIN' && !account.locked;

export type RoleChange =
  | { kind: 'RoleChanged'; account: AccountFacts; events: readonly [{ type: 'UserRoleChanged'; payload: UserRoleChanged }] }
  /** Setting the role the account already has changes nothing and publishes nothing. */
  | { kind: 'RoleUnchanged'; account: AccountFacts }
  | AdminRejection;

/**
 * Sets an account's role: the next version of its stream, or nothing when the role is already
 * that. Without `act` (a start-up job, not a person) the last-admin rule does not apply.
 */
export function changeRole(account: AccountFacts, role: Role, act?: AdminAct): RoleChange {
  if (account.role === role) return { kind: 'RoleUnchanged', account };
  if (act && isActiveAdmin(account) && act.otherActiveAdmins === 0) return { kind: 'LastAdmin' };
  return {
    kind: 'RoleChanged',
    account: { ...account, role, version: account.version + 1 },
    events: [{ type: 'UserRoleChanged', payload: { userId: account.id, previousRole: account.role, role } }],
  };
}

export type LockChange =
  | { kind: 'Locked'; account: AccountFacts; events: readonly [{ type: 'UserLocked'; payload: UserLocked }] }
  | { kind: 'AlreadyLocked'; account: AccountFacts }
  | AdminRejection;

/** Locks an account: the next version of its stream; locking a locked account changes nothing. */
export function lockAccount(account: AccountFacts, act: AdminAct): LockChange {
  if (account.locked) return { kind: 'AlreadyLocked', account };
  if (account.id === act.adminId) return { kind: 'SelfLock' };
  if (isActiveAdmin(account) && act.otherActiveAdmins === 0) return { kind: 'LastAdmin' };
  return {
    kind: 'Locked',
    account: { ...account, locked: true, version: account.version + 1 },
    events: [{ type: 'UserLocked', payload: { userId: account.id, lockedBy: act.adminId } }],
  };
}

export type UnlockChange =
  | { kind: 'Unlocked'; account: AccountFacts; events: readonly [{ type: 'UserUnlocked'; payload: UserUnlocked }] }
  | { kind: 'NotLocked'; account: AccountFacts };

/** Unlocks an account: the next version of its stream; unlocking an unlocked account changes nothing. */
export function unlockAccount(account: AccountFacts, act: Pick<AdminAct, 'adminId'>): UnlockChange {
  if (!account.locked) return { kind: 'NotLocked', account };
  return {
    kind: 'Unlocked',
    account: { ...account, locked: false, version: account.version + 1 },
    events: [{ type: 'UserUnlocked', payload: { userId: account.id, unlockedBy: act.adminId } }],
  };
}

/** Why an admin locked an account: shown to admins, kept out of events. */
export const LOCK_REASON_MAX_LENGTH = 500;

export function validateLockReason(reason: string): string | { kind: 'InvalidReason'; maxLength: number } {
  const trimmed = reason.trim();
  if (trimmed.length === 0 || trimmed.length > LOCK_REASON_MAX_LENGTH) return { kind: 'InvalidReason', maxLength: LOCK_REASON_MAX_LENGTH };
  return trimmed;
}
