import { isRejection, validateSignUp, type SignUpRejection, type SignUpRequest, type User } from '../domain/user';
import type { IssueToken, PasswordHasher, UserStore } from './ports';

export type SignUpResult = { kind: 'SignedUp'; user: User; token: string } | SignUpRejection | { kind: 'EmailTaken' };

export function signUp(deps: { users: UserStore; passwords: PasswordHasher; issueToken: IssueToken }) {
  return async (request: SignUpRequest): Promise<SignUpResult> => {
    const valid = validateSignUp(request);
    if (isRejection(valid)) return valid;
    const passwordHash = await deps.passwords.hash(valid.password);
    const created = await deps.users.create({ email: valid.email, name: valid.name, role: 'USER', passwordHash });
    if (created === 'EmailTaken') return { kind: 'EmailTaken' };
    const { passwordHash: _secret, ...user } = created;
    return { kind: 'SignedUp', user, token: deps.issueToken(user) };
  };
}
