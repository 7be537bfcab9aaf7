import { isRejection, validateSignUp } from '../domain/user';
import type { PasswordHasher, StampDeps, UserStore } from './ports';
import { registerAccount } from './register-account';

/** The correlation id of the events a start-up seed writes: no request started them. */
export const ADMIN_SEED_CORRELATION = 'admin-seed';

/**
 * Creates the configured admin account, with its UserRegistered, if it does not exist yet
 * (start-up and seed). An existing account with that e-mail is left as it is, even as USER:
 * promoting it would give admin rights to whoever registered the address, with their password.
 */
export function ensureAdmin(deps: { users: UserStore; passwords: PasswordHasher } & StampDeps) {
  return async (admin: { email: string; password: string; name: string }): Promise<'created' | 'exists'> => {
    const valid = validateSignUp(admin);
    if (isRejection(valid)) throw new Error(`ADMIN_EMAIL/ADMIN_PASSWORD are not a valid account: ${valid.kind}`);
    if (await deps.users.findByEmail(valid.email)) return 'exists';
    const passwordHash = await deps.passwords.hash(valid.password);
    const created = await registerAccount(
      deps.users,
      deps,
      { email: valid.email, name: valid.name, role: 'ADMIN', passwordHash },
      { correlationId: ADMIN_SEED_CORRELATION, causationId: null },
    );
    return created === 'EmailTaken' ? 'exists' : 'created';
  };
}
