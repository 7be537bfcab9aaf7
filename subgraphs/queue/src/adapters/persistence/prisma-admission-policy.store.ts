import type { PrismaClient } from '../../../generated/prisma';
import type { AdmissionPolicy, PolicySettings } from '../../domain/admission-policy';
import type { AdmissionPolicyStore } from '../../application/ports';

export const POLICY_CHANGED = 'POLICY_CHANGED';

type PolicyRow = { scheduleId: string; admitsPerSecond: number; maxActive: number; paused: boolean; updatedAt: Date };

const toPolicy = (row: PolicyRow): AdmissionPolicy => ({
  scheduleId: row.scheduleId,
  admitsPerSecond: row.admitsPerSecond,
  maxActive: row.maxActive,
  paused: row.paused,
  updatedAt: row.updatedAt,
});

export function createPrismaAdmissionPolicyStore(prisma: PrismaClient): AdmissionPolicyStore {
  return {
    async find(scheduleId) {
      const row = await prisma.admissionPolicy.findUnique({ where: { scheduleId } });
      return row ? toPolicy(row) : null;
    },
    async update(scheduleId, { defaults, decide, actor }) {
      return prisma.$transaction(async (tx) => {
        // Materialise the defaults first so there is always a row to lock: two admins changing a
        // schedule that has no policy yet then serialise on it instead of racing two INSERTs.
        const created = await tx.$executeRaw`
          INSERT INTO admission_policies (schedule_id, admits_per_second, max_active, paused, updated_by)
          VALUES (${scheduleId}::uuid, ${defaults.admitsPerSecond}, ${defaults.maxActive}, ${defaults.paused}, ${actor}::uuid)
          ON CONFLICT (schedule_id) DO NOTHING`;
        const [current] = await tx.$queryRaw<PolicySettings[]>`
          SELECT admits_per_second AS "admitsPerSecond", max_active AS "maxActive", paused
          FROM admission_policies WHERE schedule_id = ${scheduleId}::uuid FOR UPDATE`;
        if (!current) throw new Error(`admission policy ${scheduleId} vanished inside its transaction`);
        const before: PolicySettings = { admitsPerSecond: current.admitsPerSecond, maxActive: current.maxActive, paused: current.paused };
        const after = decide(before);
        const row = await tx.admissionPolicy.update({ where: { scheduleId }, data: { ...after, updatedBy: actor } });
        await tx.admissionAudit.create({
          data: {
            scheduleId,
            action: POLICY_CHANGED,
            actor,
            // Stamped after the lock, not at transaction start, so the audit's order is the order changes applied.
            at: new Date(),
            detail: { before: { ...before, source: created === 1 ? 'defaults' : 'stored' }, after: { ...after } },
          },
        });
        return toPolicy(row);
      });
    },
  };
}
