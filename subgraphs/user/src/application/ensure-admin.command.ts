import { isRejection, validateSignUp } from '../domain/user';
import type { PasswordHasher, UserStore } from './ports';

/** Creates the configured admin account if it does not exist yet (start-up and seed). */
export function ensureAdmin(deps: { users: UserStore; passwords: PasswordHasher }) {
  return async (admin: { email: string; password: string; name: string }): Promise<'created' | 'exists'> => {
    const valid = validateSignUp(admin);
    if (isRejection(valid)) throw new Error(`ADMIN_EMAIL/ADMIN_PASSWORD are not a valid account: ${valid.kind}`);
    if (await deps.users.findByEmail(valid.email)) return 'exists';
    const passwordHash = await deps.passwords.hash(valid.password);
    const created = await deps.users.create({ email: valid.email, name: valid.name, role: 'ADMIN', passwordHash });
    return created === 'EmailTaken' ? 'exists' : 'created';
  };
}
