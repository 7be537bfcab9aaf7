import type express from 'express';
import { admissionVerifyRequestSchema, QUEUE_ADMISSION_VERIFY_PATH } from '@ticketing/contracts';
import { viewerFromAuthorization, type AccessTokenSettings, type Logger, type Viewer } from '@ticketing/platform';
import type { verifyAdmission } from '../../application/verify-admission.query';

/** A verify request is two short strings; anything bigger is refused unread. */
const BODY_LIMIT_BYTES = 8 * 1024;

async function readBody(req: express.Request): Promise<string | null> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > BODY_LIMIT_BYTES) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * `POST /internal/admission/verify` (contracts: queue-admission.ts) for the booking subgraph.
 * Answers about the bearer's own ticket only: the fan's access token is verified here exactly
 * as on /graphql, so the route is no oracle for other people's tickets.
 */
export function mountAdmissionVerifyRoute(
  app: express.Express,
  deps: { verifyAdmission: ReturnType<typeof verifyAdmission>; accessTokens: AccessTokenSettings; logger: Logger },
): void {
  app.post(QUEUE_ADMISSION_VERIFY_PATH, async (req, res) => {
    let viewer: Viewer | null;
    try {
      viewer = viewerFromAuthorization(req.headers.authorization, deps.accessTokens);
    } catch (error) {
      res.status(401).json({ error: 'UNAUTHENTICATED', message: (error as Error).message });
      return;
    }
    if (!viewer) {
      res.status(401).json({ error: 'UNAUTHENTICATED', message: 'Sign in first' });
      return;
    }
    try {
      const text = await readBody(req);
      const request = admissionVerifyRequestSchema.safeParse(text === null ? undefined : parseJson(text));
      if (!request.success) {
        res.status(400).json({ error: 'BAD_REQUEST', message: 'Expected a JSON body { token, scheduleId } of strings' });
        return;
      }
      res.json(await deps.verifyAdmission(viewer.userId, request.data));
    } catch (error) {
      deps.logger.error({ err: error }, 'admission verify failed');
      res.status(500).json({ error: 'INTERNAL_SERVER_ERROR' });
    }
  });
}
