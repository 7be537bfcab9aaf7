import { isRejection, validateSignUp, type SignUpRejection, type SignUpRequest, type User } from '../domain/user';
import type { Causation, IssueToken, PasswordHasher, StampDeps, UserStore } from './ports';
import { registerAccount } from './register-account';

export type SignUpResult = { kind: 'SignedUp'; user: User; token: string } | SignUpRejection | { kind: 'EmailTaken' };

export function signUp(deps: { users: UserStore; passwords: PasswordHasher; issueToken: IssueToken } & StampDeps) {
  return async (request: SignUpRequest, causation: Causation): Promise<SignUpResult> => {
    const valid = validateSignUp(request);
    if (isRejection(valid)) return valid;
    const passwordHash = await deps.passwords.hash(valid.password);
    const created = await registerAccount(deps.users, deps, { email: valid.email, name: valid.name, role: 'USER', passwordHash }, causation);
    if (created === 'EmailTaken') return { kind: 'EmailTaken' };
    const { passwordHash: _secret, ...user } = created;
    return { kind: 'SignedUp', user, token: deps.issueToken(user) };
  };
}
