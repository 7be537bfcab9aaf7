import type { UserRegistered, UserRoleChanged } from '@ticketing/contracts';

/** Pure rules for accounts: what a valid sign-up is, and how an e-mail is compared. */

export type Role = 'USER' | 'ADMIN';

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
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
  /** The account's stream version: 0 once registered, +1 per role change. */
  version: number;
}

/** The account's first event, at stream version 0. Only the id, the role and the time: no personal data. */
export function registered(account: { id: string; role: Role }, now: Date): { type: 'UserRegistered'; payload: UserRegistered } {
  return { type: 'UserRegistered', payload: { userId: account.id, role: account.role, registeredAt: now.toISOString() } };
}

export type RoleChange =
  | { kind: 'RoleChanged'; account: AccountFacts; events: readonly [{ type: 'UserRoleChanged'; payload: UserRoleChanged }] }
  /** Setting the role the account already has changes nothing and publishes nothing. */
  | { kind: 'RoleUnchanged'; account: AccountFacts };

/** Sets an account's role: the next version of its stream, or nothing when the role is already that. */
export function changeRole(account: AccountFacts, role: Role): RoleChange {
  if (account.role === role) return { kind: 'RoleUnchanged', account };
  return {
    kind: 'RoleChanged',
    account: { ...account, role, version: account.version + 1 },
    events: [{ type: 'UserRoleChanged', payload: { userId: account.id, previousRole: account.role, role } }],
  };
}
