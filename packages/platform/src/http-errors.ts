import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { z } from 'zod';
import { ErrorCode, RequestErrorCode } from './errors';
import type { Logger } from './logger';

/** The shape of every error answer, GraphQL or not, so a client parses one thing. */
export function errorBody(code: string, message: string) {
  return { errors: [{ message, extensions: { code } }] };
}

/** A JSON error answer on any response, Express's or Node's own. */
export function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(errorBody(code, message)));
}

/** The path as the caller sent it (without the query string, which may carry a whole operation); Express keeps it in `originalUrl`. */
const pathOf = (req: IncomingMessage & { originalUrl?: string }) => (req.originalUrl ?? req.url ?? '').split('?')[0] ?? '';

/** A refused request: one warn line with what the caller sent wrong, never a stack. */
function logRejected(logger: Logger, method: string, path: string, code: string, status: number): void {
  logger.warn({ method, path, status, code }, 'request rejected');
}

/**
 * What body-parser (behind express.json) throws, by its `type`: the status and code a caller
 * gets. Messages are ours: body-parser's would echo the body and name internals.
 */
const BODY_ERRORS: Record<string, { status: number; code: string; message: (limit: string | undefined) => string }> = {
  'entity.parse.failed': { status: 400, code: RequestErrorCode.BAD_REQUEST, message: () => 'The request body is not valid JSON.' },
  'entity.too.large': { status: 413, code: RequestErrorCode.PAYLOAD_TOO_LARGE, message: (limit) => `The request body is larger than ${limit ?? 'allowed'}.` },
  'charset.unsupported': { status: 415, code: RequestErrorCode.UNSUPPORTED_MEDIA_TYPE, message: () => 'The request body must be UTF-8 JSON.' },
  'encoding.unsupported': { status: 415, code: RequestErrorCode.UNSUPPORTED_MEDIA_TYPE, message: () => 'Unsupported content encoding.' },
};

/**
 * Only `application/json` POST bodies carry GraphQL here (graphql-over-http); say so with a 415,
 * not a CSRF riddle. True when it answered.
 */
export function refuseUnlessJsonPost(req: IncomingMessage, res: ServerResponse, logger: Logger): boolean {
  const essence = req.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  if (req.method !== 'POST' || essence === 'application/json') return false;
  logRejected(logger, req.method, pathOf(req), RequestErrorCode.UNSUPPORTED_MEDIA_TYPE, 415);
  res.setHeader('accept-post', 'application/json');
  sendError(res, 415, RequestErrorCode.UNSUPPORTED_MEDIA_TYPE, 'GraphQL requests are POSTed as application/json.');
  return true;
}

/** The last route: anything unmatched is a JSON 404 (Express's own is an HTML page). */
export function answerNotFound(logger: Logger): RequestHandler {
  return (req, res) => {
    logRejected(logger, req.method, pathOf(req), ErrorCode.NOT_FOUND, 404);
    sendError(res, 404, ErrorCode.NOT_FOUND, 'Not found.');
  };
}

/** What http-errors (body-parser's errors) adds to an Error; anything else is not the caller's fault. */
const httpErrorShape = z.object({ type: z.string().optional(), status: z.number().int().optional() });

/**
 * A request that failed: a malformed, oversized or mistyped body is the caller's mistake (4xx,
 * one warn line); anything else is ours (500 without details, one error line with the stack in
 * it). Express's own handler would answer an HTML page with the stack and absolute paths.
 */
export function answerError(error: unknown, req: IncomingMessage, res: ServerResponse, logger: Logger, bodyLimit?: string): void {
  const method = req.method ?? '';
  const { type, status } = httpErrorShape.safeParse(error).data ?? {};
  const known = type ? BODY_ERRORS[type] : undefined;
  if (known) {
    logRejected(logger, method, pathOf(req), known.code, known.status);
    return sendError(res, known.status, known.code, known.message(bodyLimit));
  }
  // http-errors' other 4xx (an aborted or mis-sized body): still the caller's, still no details.
  if (status !== undefined && status >= 400 && status < 500) {
    logRejected(logger, method, pathOf(req), RequestErrorCode.BAD_REQUEST, status);
    return sendError(res, status, RequestErrorCode.BAD_REQUEST, 'Bad request.');
  }
  logger.error({ err: error, method, path: pathOf(req) }, 'unexpected error while handling a request');
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendError(res, 500, ErrorCode.INTERNAL_SERVER_ERROR, 'Internal server error');
}

/** Express's last error handler: `answerError`, unless the answer is already on its way. */
export function answerErrors(logger: Logger, bodyLimit?: string): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) return next(error);
    answerError(error, req, res, logger, bodyLimit);
  };
}
