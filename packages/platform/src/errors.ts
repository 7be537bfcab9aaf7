import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from './logger';

/** The stable `extensions.code` values of the public contract (API.md). */
export const ErrorCode = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  SEAT_UNAVAILABLE: 'SEAT_UNAVAILABLE',
  QUEUE_TOKEN_INVALID: 'QUEUE_TOKEN_INVALID',
  INVALID_STATE: 'INVALID_STATE',
  INSUFFICIENT_BALANCE: 'INSUFFICIENT_BALANCE',
  RATE_LIMITED: 'RATE_LIMITED',
  SEAT_LIMIT_REACHED: 'SEAT_LIMIT_REACHED',
  ACCOUNT_LOCKED: 'ACCOUNT_LOCKED',
  /** A schedule's prices change no more once its waiting room has begun admitting fans. */
  PRICE_FROZEN: 'PRICE_FROZEN',
  /** A fan asked for their money back after the schedule's refund cutoff (only an admin may refund now). */
  REFUND_NOT_ALLOWED: 'REFUND_NOT_ALLOWED',
  /** Briefly unable to answer (the waiting room restoring after a Redis restart): try again after `retryAfterSeconds`. */
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * Something this operation needs is briefly unable to answer (the queue's waiting room being
 * restored after a Redis restart): the caller may try again after `retryAfterSeconds`. Thrown
 * where the outage is found, however deep; the error formatter answers it as SERVICE_UNAVAILABLE
 * and internal routes as 503, never as an internal error.
 */
export class ServiceUnavailable extends Error {
  constructor(
    message: string,
    readonly retryAfterSeconds = 1,
  ) {
    super(message);
    this.name = 'ServiceUnavailable';
  }
}

export function clientError(code: ErrorCode, message: string, details?: Record<string, unknown>): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...details } });
}

/**
 * Codes of a request refused before any operation ran: by the HTTP layer (http-errors.ts), by
 * Apollo's request pipeline, or by the operation guard. Apollo's names where Apollo has one; the
 * APQ hash mismatch is the Apollo Router's name.
 */
export const RequestErrorCode = {
  BAD_REQUEST: 'BAD_REQUEST',
  GRAPHQL_PARSE_FAILED: 'GRAPHQL_PARSE_FAILED',
  GRAPHQL_VALIDATION_FAILED: 'GRAPHQL_VALIDATION_FAILED',
  OPERATION_RESOLUTION_FAILURE: 'OPERATION_RESOLUTION_FAILURE',
  PERSISTED_QUERY_HASH_MISMATCH: 'PERSISTED_QUERY_HASH_MISMATCH',
  PERSISTED_QUERY_NOT_SUPPORTED: 'PERSISTED_QUERY_NOT_SUPPORTED',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
} as const;
export type RequestErrorCode = (typeof RequestErrorCode)[keyof typeof RequestErrorCode];
const REQUEST_ERROR_CODES = new Set<string>(Object.values(RequestErrorCode));
/** A refused request is the caller's mistake: one warn line, no stack, never an error-level alert. */
export const isRequestErrorCode = (code: string) => REQUEST_ERROR_CODES.has(code);

/** Codes that GraphQL itself or Apollo emit for a malformed request; they are safe to show. */
const PASS_THROUGH = new Set<string>([
  ...Object.values(ErrorCode),
  ...Object.values(RequestErrorCode),
  // The first step of Apollo's APQ handshake, not a mistake: the client resends with the query.
  'PERSISTED_QUERY_NOT_FOUND',
]);

/**
 * graphql-js's messages for a literal that does not fit its scalar (`amount: 1.5`, `2147483648`).
 * Apollo files them under GRAPHQL_VALIDATION_FAILED; to a caller they are bad input, exactly as
 * the same values sent as variables are (API.md: fractional or huge amounts are BAD_USER_INPUT).
 */
const LITERAL_COERCION = /^(Int|Float|String|Boolean|ID) cannot represent|^Expected value of type/;

/** Apollo's message when an APQ's `sha256Hash` is not the hash of the query sent with it. */
const APQ_HASH_MISMATCH = 'provided sha does not match query';

/**
 * The code a caller sees (and metrics and logs count) for an error Apollo is about to answer.
 * Apollo refuses a few requests with a 4xx status but no code (an APQ hash mismatch, an unknown
 * APQ version); they get one here instead of falling through to INTERNAL_SERVER_ERROR.
 */
export function publicErrorCode(error: { message: string; extensions?: Readonly<Record<string, unknown>>; originalError?: unknown }): string {
  const code = error.extensions?.['code'];
  if (typeof code === 'string') {
    return code === RequestErrorCode.GRAPHQL_VALIDATION_FAILED && LITERAL_COERCION.test(error.message) ? ErrorCode.BAD_USER_INPUT : code;
  }
  const status = (error.extensions?.['http'] as { status?: unknown } | undefined)?.status;
  if (!error.originalError && typeof status === 'number' && status >= 400 && status < 500) {
    return error.message === APQ_HASH_MISMATCH ? RequestErrorCode.PERSISTED_QUERY_HASH_MISMATCH : RequestErrorCode.BAD_REQUEST;
  }
  return ErrorCode.INTERNAL_SERVER_ERROR;
}

/**
 * The one place where an error becomes what a caller sees: known codes pass with their
 * message; anything else (a bug, a database outage) is logged in full and answered as
 * INTERNAL_SERVER_ERROR without message details or stack traces.
 */
export function createErrorFormatter(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    // The raw error still carries Apollo's `http` extension, which `formatted` has lost.
    const code = publicErrorCode(error instanceof GraphQLError ? error : formatted);
    if (PASS_THROUGH.has(code) && code !== ErrorCode.INTERNAL_SERVER_ERROR) {
      const { stacktrace: _dropped, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions: { ...extensions, code } };
    }
    const original = error instanceof GraphQLError ? error.originalError : error;
    if (original instanceof ServiceUnavailable) {
      logger.warn({ err: original }, 'operation answered SERVICE_UNAVAILABLE');
      return {
        message: original.message,
        ...(formatted.path ? { path: formatted.path } : {}),
        extensions: { code: ErrorCode.SERVICE_UNAVAILABLE, retryAfterSeconds: original.retryAfterSeconds },
      };
    }
    logger.error({ err: error }, 'unexpected error while executing an operation');
    return {
      message: 'Internal server error',
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    };
  };
}
