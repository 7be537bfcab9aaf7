import { normalizeEmail, PASSWORD_MAX_LENGTH, type User } from '../domain/user';
import type { IssueToken, PasswordHasher, UserStore } from './ports';

export type LogInResult =
  | { kind: 'LoggedIn'; user: User; token: string }
  | { kind: 'WrongCredentials' }
  /** Told only to someone who knew the password, so a lock says nothing to a guesser. */
  | { kind: 'AccountLocked' }
  | { kind: 'TooManyAttempts'; retryAfterSeconds: number };

/**
 * Consecutive failed logins per account, with lock-outs that grow. Keyed by the e-mail whether or
 * not an account has it, so a lock-out says nothing about which accounts exist.
 */
export interface LoginAttempts {
  /** Counts one attempt before the password is checked; refused while the account is locked out. */
  attempt(accountKey: string): Promise<{ allowed: true } | { allowed: false; retryAfterSeconds: number }>;
  /** A successful login forgives the failures before it. */
  reset(accountKey: string): Promise<void>;
}

export function logIn(deps: {
  users: UserStore;
  passwords: PasswordHasher;
  issueToken: IssueToken;
  dummyHash: string;
  attempts: LoginAttempts;
  /** The key an account's attempts are counted under (the e-mail's blind index: no address in Redis). */
  accountKey: (normalizedEmail: string) => string;
}) {
  return async (email: string, password: string): Promise<LogInResult> => {
    const normalized = normalizeEmail(email);
    const key = deps.accountKey(normalized);
    // Counted before hashing: a locked-out account costs no scrypt, whatever the password.
    const admission = await deps.attempts.attempt(key);
    if (!admission.allowed) return { kind: 'TooManyAttempts', retryAfterSeconds: admission.retryAfterSeconds };
    if (password.length > PASSWORD_MAX_LENGTH) return { kind: 'WrongCredentials' };
    const stored = await deps.users.findByEmail(normalized);
    // Hash even for an unknown e-mail so response time does not reveal which accounts exist.
    const matches = await deps.passwords.verify(password, stored?.passwordHash ?? deps.dummyHash);
    if (!stored || !matches) return { kind: 'WrongCredentials' };
    await deps.attempts.reset(key);
    if (stored.locked) return { kind: 'AccountLocked' };
    const { passwordHash: _secret, ...user } = stored;
    return { kind: 'LoggedIn', user, token: deps.issueToken(user) };
  };
}
