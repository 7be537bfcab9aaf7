import type { NextFunction, Request, Response } from 'express';
import { GraphQLError } from 'graphql';
import pino from 'pino';
import { createErrorFormatter, publicErrorCode, ServiceUnavailable } from '../src/errors';
import { answerErrors, answerNotFound, refuseUnlessJsonPost } from '../src/http-errors';

/** A logger like createLogger's, writing into an array: what each case logged, line by line. */
function capturedLogger() {
  const lines: string[] = [];
  const logger = pino({ formatters: { level: (label) => ({ level: label }) } }, { write: (line: string) => void lines.push(line) });
  return { logger, lines, parsed: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

/** Just enough of a response (Node's, which Express's extends) to see what a handler answered. */
function recordingResponse() {
  const sent: { status?: number; body?: unknown; headers: Record<string, string> } = { headers: {} };
  const res = {
    headersSent: false,
    set statusCode(code: number) {
      sent.status = code;
    },
    setHeader(name: string, value: string) {
      sent.headers[name] = value;
    },
    end(body: string) {
      sent.body = JSON.parse(body);
    },
  };
  return { res: res as unknown as Response, sent };
}

const request = (method: string, originalUrl: string, headers: Record<string, string> = {}) =>
  ({ method, originalUrl, headers }) as unknown as Request;
const next: NextFunction = () => undefined;

/** body-parser's errors: an Error with http-errors' `status` and `type`. */
const bodyParserError = (status: number, type: string) => Object.assign(new Error(`${type} at /work/node_modules/raw-body`), { status, type, expose: true });

describe('errors outside GraphQL become one JSON shape and one log line', () => {
  it.each([
    ['entity.parse.failed', 400, 400, 'BAD_REQUEST'],
    ['entity.too.large', 413, 413, 'PAYLOAD_TOO_LARGE'],
    ['charset.unsupported', 415, 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['request.aborted', 400, 400, 'BAD_REQUEST'],
  ])('given body-parser refused the body (%s, %i), it answers %i %s and logs one warn line', (type, thrownStatus, status, code) => {
    const { logger, parsed } = capturedLogger();
    const { res, sent } = recordingResponse();

    answerErrors(logger, '100kb')(bodyParserError(thrownStatus, type), request('POST', '/graphql?debug=1'), res, next);

    expect(sent.status).toBe(status);
    expect(sent.body).toEqual({ errors: [{ message: expect.any(String), extensions: { code } }] });
    expect(JSON.stringify(sent.body)).not.toMatch(/node_modules|\/work\//);
    expect(parsed()).toEqual([expect.objectContaining({ level: 'warn', code, status, path: '/graphql', msg: 'request rejected' })]);
    expect(JSON.stringify(parsed())).not.toContain('stack');
  });

  it('given a bug in a route, it answers 500 without details and logs it once at error with the stack', () => {
    const { logger, lines, parsed } = capturedLogger();
    const { res, sent } = recordingResponse();

    answerErrors(logger)(new Error('secret detail at /work/main/src/x.ts'), request('GET', '/ready'), res, next);

    expect(sent).toMatchObject({ status: 500, body: { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] } });
    expect(JSON.stringify(sent.body)).not.toContain('secret');
    expect(lines).toHaveLength(1);
    expect(lines[0]!.trim().split('\n')).toHaveLength(1);
    expect(parsed()[0]).toMatchObject({ level: 'error', err: { message: 'secret detail at /work/main/src/x.ts' } });
  });

  it('answers an unknown route with a JSON 404', () => {
    const { logger, parsed } = capturedLogger();
    const { res, sent } = recordingResponse();

    answerNotFound(logger)(request('GET', '/wp-login.php'), res, next);

    expect(sent).toMatchObject({ status: 404, body: { errors: [{ message: 'Not found.', extensions: { code: 'NOT_FOUND' } }] } });
    expect(parsed()).toEqual([expect.objectContaining({ level: 'warn', code: 'NOT_FOUND', path: '/wp-login.php' })]);
  });

  it.each([['text/plain'], ['application/x-www-form-urlencoded'], ['multipart/form-data; boundary=x']])(
    'refuses a %s POST with 415, before the body is read',
    (contentType) => {
      const { logger } = capturedLogger();
      const { res, sent } = recordingResponse();
      const answered = refuseUnlessJsonPost(request('POST', '/graphql', { 'content-type': contentType }), res, logger);

      expect(answered).toBe(true);
      expect(sent).toMatchObject({ status: 415, headers: { 'accept-post': 'application/json' }, body: { errors: [{ extensions: { code: 'UNSUPPORTED_MEDIA_TYPE' } }] } });
    },
  );

  it.each([
    ['POST', 'application/json'],
    ['POST', 'Application/JSON; charset=utf-8'],
    ['GET', ''],
  ])('lets a %s with content type %j through', (method, contentType) => {
    const { logger } = capturedLogger();
    const { res, sent } = recordingResponse();
    const answered = refuseUnlessJsonPost(request(method, '/graphql', contentType ? { 'content-type': contentType } : {}), res, logger);

    expect(answered).toBe(false);
    expect(sent.status).toBeUndefined();
  });
});

describe('the code a caller sees for an error Apollo answers', () => {
  it('keeps a code the error carries', () => {
    expect(publicErrorCode(new GraphQLError('x', { extensions: { code: 'SEAT_UNAVAILABLE' } }))).toBe('SEAT_UNAVAILABLE');
  });

  it('names the persisted-query hash mismatch that Apollo leaves without a code', () => {
    const mismatch = new GraphQLError('provided sha does not match query', { extensions: { http: { status: 400 } } });
    expect(publicErrorCode(mismatch)).toBe('PERSISTED_QUERY_HASH_MISMATCH');
  });

  it("calls Apollo's other uncoded 4xx refusals BAD_REQUEST", () => {
    expect(publicErrorCode(new GraphQLError('Unsupported persisted query version', { extensions: { http: { status: 400 } } }))).toBe('BAD_REQUEST');
  });

  it('treats an uncoded error from a resolver as internal, whatever http status it claims', () => {
    const thrown = new GraphQLError('boom', { originalError: new Error('boom'), extensions: { http: { status: 400 } } });
    expect(publicErrorCode(thrown)).toBe('INTERNAL_SERVER_ERROR');
    expect(publicErrorCode(new GraphQLError('boom'))).toBe('INTERNAL_SERVER_ERROR');
  });

  it('files literal coercion failures under BAD_USER_INPUT', () => {
    const error = new GraphQLError('Int cannot represent non-integer value: 1.5', { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    expect(publicErrorCode(error)).toBe('BAD_USER_INPUT');
  });

  it('formats the hash mismatch with its code and logs nothing (the request line does)', () => {
    const { logger, lines } = capturedLogger();
    const raw = new GraphQLError('provided sha does not match query', { extensions: { http: { status: 400 } } });

    const formatted = createErrorFormatter(logger)({ message: raw.message, extensions: { code: 'INTERNAL_SERVER_ERROR' } }, raw);

    expect(formatted).toEqual({ message: 'provided sha does not match query', extensions: { code: 'PERSISTED_QUERY_HASH_MISMATCH' } });
    expect(lines).toEqual([]);
  });

  it('answers a ServiceUnavailable thrown anywhere as SERVICE_UNAVAILABLE with its retry hint, not as an internal error', () => {
    const { logger, parsed } = capturedLogger();
    const raw = new GraphQLError('unexpected', { originalError: new ServiceUnavailable('The waiting room is being restored', 2), path: ['enterQueue'] });

    const formatted = createErrorFormatter(logger)({ message: raw.message, path: ['enterQueue'], extensions: { code: 'INTERNAL_SERVER_ERROR' } }, raw);

    expect(formatted).toEqual({ message: 'The waiting room is being restored', path: ['enterQueue'], extensions: { code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: 2 } });
    // An outage the caller is told to wait out is a warning in the log, not an error.
    expect(parsed().map((line) => line['level'])).toEqual(['warn']);
  });
});
