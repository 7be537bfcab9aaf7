import { normalizeEmail, PASSWORD_MAX_LENGTH, type User } from '../domain/user';
import type { IssueToken, PasswordHasher, UserStore } from './ports';

export type LogInResult = { kind: 'LoggedIn'; user: User; token: string } | { kind: 'WrongCredentials' };

export function logIn(deps: { users: UserStore; passwords: PasswordHasher; issueToken: IssueToken; dummyHash: string }) {
  return async (email: string, password: string): Promise<LogInResult> => {
    if (password.length > PASSWORD_MAX_LENGTH) return { kind: 'WrongCredentials' };
    const stored = await deps.users.findByEmail(normalizeEmail(email));
    // Hash even for an unknown e-mail so response time does not reveal which accounts exist.
    const matches = await deps.passwords.verify(password, stored?.passwordHash ?? deps.dummyHash);
    if (!stored || !matches) return { kind: 'WrongCredentials' };
    const { passwordHash: _secret, ...user } = stored;
    return { kind: 'LoggedIn', user, token: deps.issueToken(user) };
  };
}
