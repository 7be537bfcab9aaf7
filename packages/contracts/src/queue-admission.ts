import { z } from 'zod';

/**
 * The queue's admission check, served by every queue process on its own port (not through the
 * gateway): the booking subgraph asks it before holding seats. The caller forwards the fan's
 * `Authorization: Bearer <access token>`, because a queue token only works for the fan it was
 * issued to. Answers 200 with a verdict for every well-formed request (an invalid ticket is an
 * expected outcome, not an HTTP error), 400 for a malformed body, 401 without a valid bearer token,
 * 403 `ACCOUNT_LOCKED` for the token of an account an admin has locked.
 */
export const QUEUE_ADMISSION_VERIFY_PATH = '/internal/admission/verify';

/** The route on a queue process, from its GraphQL URL (QUEUE_URL, e.g. `http://127.0.0.1:4003/graphql`). */
export const queueAdmissionVerifyUrl = (queueUrl: string) => new URL(QUEUE_ADMISSION_VERIFY_PATH, queueUrl).toString();

export const admissionVerifyRequestSchema = z.object({
  /** Exactly what the fan sent; an empty or garbage token is answered FORGED, not refused. */
  token: z.string().max(4096),
  scheduleId: z.string().max(100),
});
export type AdmissionVerifyRequest = z.infer<typeof admissionVerifyRequestSchema>;

/**
 * Why a ticket does not admit its bearer. All of them are `QUEUE_TOKEN_INVALID` to a client;
 * the reason is for logs and metrics, never for branching on business rules.
 */
export const ADMISSION_REJECTIONS = ['FORGED', 'OTHER_USER', 'OTHER_SCHEDULE', 'WAITING', 'EXPIRED', 'UNKNOWN'] as const;
export type AdmissionRejection = (typeof ADMISSION_REJECTIONS)[number];

export const admissionVerdictSchema = z.discriminatedUnion('valid', [
  z.object({
    valid: z.literal(true),
    ticketId: z.string().min(1),
    /** The ticket stops admitting at this instant; a hold should not outlive it by design. */
    expiresAt: z.string().datetime({ offset: true }),
  }),
  z.object({ valid: z.literal(false), reason: z.enum(ADMISSION_REJECTIONS) }),
]);
export type AdmissionVerdict = z.infer<typeof admissionVerdictSchema>;
