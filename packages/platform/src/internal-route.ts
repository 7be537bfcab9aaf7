import type express from 'express';
import { Role, viewerFromAuthorization, type AccessTokenSettings, type Viewer } from './auth';
import type { AccountLocks } from './auth-account-locks';
import { ServiceUnavailable } from './errors';
import type { Logger } from './logger';

/** The part of a zod schema a route needs (contracts own the schemas). */
interface BodySchema<T> {
  safeParse(input: unknown): { success: true; data: T } | { success: false };
}

/** Reads at most `limit` bytes of JSON; null when the body is larger or not JSON. */
async function readJson(req: express.Request, limit: number): Promise<unknown> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) return null;
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return null;
  }
}

/**
 * A service-to-service JSON route beside /graphql (queue's admission verify, concert's price
 * freeze): the caller's access token is verified exactly as on /graphql (and must be an admin's
 * when `role` says so), the body is bounded and checked against its contract before `handle`
 * sees it, and every answer, refusals and failures included, is JSON.
 */
export function mountInternalJsonRoute<T>(
  app: express.Express,
  path: string,
  options: {
    accessTokens: AccessTokenSettings;
    logger: Logger;
    bodyLimitBytes: number;
    schema: BodySchema<T>;
    /** Says what the body must look like, for a caller that sent something else. */
    expected: string;
    role?: Role;
    /** The process's locked accounts: a locked account's token is refused here as on /graphql (403 ACCOUNT_LOCKED). */
    locks?: Pick<AccountLocks, 'isLocked'>;
    handle: (viewer: Viewer, body: T) => Promise<unknown>;
  },
): void {
  app.post(path, async (req, res) => {
    let viewer: Viewer | null;
    try {
      viewer = viewerFromAuthorization(req.headers.authorization, options.accessTokens);
    } catch (error) {
      res.status(401).json({ error: 'UNAUTHENTICATED', message: (error as Error).message });
      return;
    }
    if (!viewer) {
      res.status(401).json({ error: 'UNAUTHENTICATED', message: 'Sign in first' });
      return;
    }
    if (options.locks?.isLocked(viewer.userId)) {
      res.status(403).json({ error: 'ACCOUNT_LOCKED', message: 'This account is locked; contact support' });
      return;
    }
    if (options.role === Role.ADMIN && viewer.role !== Role.ADMIN) {
      res.status(403).json({ error: 'FORBIDDEN', message: 'Admins only' });
      return;
    }
    try {
      const body = options.schema.safeParse(await readJson(req, options.bodyLimitBytes));
      if (!body.success) {
        res.status(400).json({ error: 'BAD_REQUEST', message: `Expected a JSON body ${options.expected}` });
        return;
      }
      res.json(await options.handle(viewer, body.data));
    } catch (error) {
      if (error instanceof ServiceUnavailable) {
        res.status(503).json({ error: 'SERVICE_UNAVAILABLE', message: error.message, retryAfterSeconds: error.retryAfterSeconds });
        return;
      }
      options.logger.error({ err: error, path }, 'internal route failed');
      res.status(500).json({ error: 'INTERNAL_SERVER_ERROR' });
    }
  });
}
