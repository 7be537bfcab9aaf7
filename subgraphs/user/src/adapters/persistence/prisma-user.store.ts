import { Prisma, type PrismaClient } from '../../../generated/prisma';
import type { StoredUser, UserStore } from '../../application/ports';
import type { EmailVault } from '../security/email-vault';

type UserRow = Prisma.UserGetPayload<object>;

export function createPrismaUserStore(prisma: PrismaClient, vault: EmailVault): UserStore {
  const toUser = (row: UserRow): StoredUser => ({
    id: row.id,
    email: vault.decrypt(row.emailEncrypted),
    name: row.name,
    role: row.role,
    passwordHash: row.passwordHash,
  });
  return {
    async create({ email, name, role, passwordHash }) {
      try {
        const row = await prisma.user.create({
          data: { emailIndex: vault.index(email), emailEncrypted: vault.encrypt(email), name, role, passwordHash },
        });
        return toUser(row);
      } catch (error) {
        // P2002: the unique e-mail index already holds this address (also under a race).
        if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') return 'EmailTaken';
        throw error;
      }
    },
    async findByEmail(email) {
      const row = await prisma.user.findUnique({ where: { emailIndex: vault.index(email) } });
      return row ? toUser(row) : null;
    },
    async findByIds(ids) {
      const rows = await prisma.user.findMany({ where: { id: { in: [...ids] } } });
      return rows.map((row) => {
        const { passwordHash: _secret, ...user } = toUser(row);
        return user;
      });
    },
  };
}
