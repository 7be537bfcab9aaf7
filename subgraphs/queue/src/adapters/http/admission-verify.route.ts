import type express from 'express';
import { admissionVerifyRequestSchema, QUEUE_ADMISSION_VERIFY_PATH } from '@ticketing/contracts';
import { mountInternalJsonRoute, type AccessTokenSettings, type Logger, type SubgraphFence } from '@ticketing/platform';
import type { verifyAdmission } from '../../application/verify-admission.query';

/**
 * `POST /internal/admission/verify` (contracts: queue-admission.ts) for the booking subgraph.
 * Answers about the bearer's own ticket only: the fan's access token is verified here exactly
 * as on /graphql, so the route is no oracle for other people's tickets. A locked account is
 * refused (403 ACCOUNT_LOCKED) like on /graphql: its ticket admits nobody while the lock stands.
 */
export function mountAdmissionVerifyRoute(
  app: express.Express,
  deps: { verifyAdmission: ReturnType<typeof verifyAdmission>; accessTokens: AccessTokenSettings; logger: Logger } & SubgraphFence,
): void {
  mountInternalJsonRoute(app, QUEUE_ADMISSION_VERIFY_PATH, {
    accessTokens: deps.accessTokens,
    logger: deps.logger,
    ...(deps.locks && { locks: deps.locks }),
    // A verify request is two short strings; anything bigger is refused unread.
    bodyLimitBytes: 8 * 1024,
    schema: admissionVerifyRequestSchema,
    expected: '{ token, scheduleId } of strings',
    handle: (fan, request) => deps.verifyAdmission(fan.userId, request),
  });
}
