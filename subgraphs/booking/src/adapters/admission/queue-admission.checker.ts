import { admissionVerdictSchema, queueAdmissionVerifyUrl } from '@ticketing/contracts';
import { serviceFetch, ServiceUnavailable } from '@ticketing/platform';
import type { AdmissionChecker } from '../../application/ports';

/**
 * Asks the queue subgraph's admission check (service to service, on the queue's own port) with
 * the fan's own bearer token. Never cached: a ticket can expire or be retired at any moment.
 */
export function createQueueAdmissionChecker(options: { queueUrl: string; timeoutMs?: number }): AdmissionChecker {
  const url = queueAdmissionVerifyUrl(options.queueUrl);
  return {
    async check({ token, scheduleId, authorization }) {
      const response = await serviceFetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization },
        body: JSON.stringify({ token: token.slice(0, 4096), scheduleId: scheduleId.slice(0, 100) }),
        timeoutMs: options.timeoutMs ?? 3_000,
      });
      // The account was locked between booking's own check and the queue's: no admission, not an outage.
      if (response.status === 403) return { admitted: false, reason: 'ACCOUNT_LOCKED' };
      // The waiting room is restoring after a Redis restart: the fan keeps their place and tries again.
      if (response.status === 503) {
        const body = (await response.json().catch(() => ({}))) as { message?: unknown; retryAfterSeconds?: unknown };
        throw new ServiceUnavailable(
          typeof body.message === 'string' ? body.message : 'The waiting room cannot check your turn right now; try again in a moment',
          typeof body.retryAfterSeconds === 'number' ? body.retryAfterSeconds : 1,
        );
      }
      if (!response.ok) throw new Error(`queue admission check answered HTTP ${response.status}`);
      const verdict = admissionVerdictSchema.parse(await response.json());
      return verdict.valid
        ? { admitted: true, ticketId: verdict.ticketId, expiresAt: new Date(verdict.expiresAt) }
        : { admitted: false, reason: verdict.reason };
    },
  };
}
