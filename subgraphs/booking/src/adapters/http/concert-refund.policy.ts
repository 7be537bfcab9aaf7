import { z } from 'zod';
import { querySubgraph } from '@ticketing/platform';
import type { RefundPolicy } from '../../application/ports';

const POLICY_QUERY = 'query BookingRefundPolicy($id: ID!) { schedule(id: $id) { startsAt refundCutoffHours } }';
const policySchema = z.object({
  schedule: z.object({ startsAt: z.iso.datetime({ offset: true }), refundCutoffHours: z.number().int().min(0) }).nullable(),
});

/**
 * The owner's refund cutoff from the concert subgraph (it owns schedules): `startsAt` minus the
 * schedule's `refundCutoffHours`. Asked on every owner refund, uncached: refunds are rare, and a
 * moved start or a changed window must apply at once.
 */
export function createConcertRefundPolicy(options: { concertUrl: string; timeoutMs?: number }): RefundPolicy {
  return {
    async ownerRefundCutoff(scheduleId) {
      const { schedule } = await querySubgraph(options.concertUrl, {
        subgraph: 'concert',
        query: POLICY_QUERY,
        variables: { id: scheduleId },
        data: policySchema,
        ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
      });
      return schedule ? new Date(Date.parse(schedule.startsAt) - schedule.refundCutoffHours * 3_600_000) : null;
    },
  };
}
