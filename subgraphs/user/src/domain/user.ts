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
