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
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export function clientError(code: ErrorCode, message: string, details?: Record<string, unknown>): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...details } });
}

/** Codes that GraphQL itself or Apollo emit for a malformed request; they are safe to show. */
const PASS_THROUGH = new Set<string>([
  ...Object.values(ErrorCode),
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

/**
 * The one place where an error becomes what a caller sees: known codes pass with their
 * message; anything else (a bug, a database outage) is logged in full and answered as
 * INTERNAL_SERVER_ERROR without message details or stack traces.
 */
/**
 * graphql-js's messages for a literal that does not fit its scalar (`amount: 1.5`, `2147483648`).
 * Apollo files them under GRAPHQL_VALIDATION_FAILED; to a caller they are bad input, exactly as
 * the same values sent as variables are (API.md: fractional or huge amounts are BAD_USER_INPUT).
 */
const LITERAL_COERCION = /^(Int|Float|String|Boolean|ID) cannot represent|^Expected value of type/;

export function createErrorFormatter(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    let code = typeof formatted.extensions?.['code'] === 'string' ? formatted.extensions['code'] : undefined;
    if (code === 'GRAPHQL_VALIDATION_FAILED' && LITERAL_COERCION.test(formatted.message)) {
      code = ErrorCode.BAD_USER_INPUT;
      formatted = { ...formatted, extensions: { ...formatted.extensions, code } };
    }
    if (code && PASS_THROUGH.has(code) && code !== ErrorCode.INTERNAL_SERVER_ERROR) {
      const { stacktrace: _dropped, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    logger.error({ err: error }, 'unexpected error while executing an operation');
    return {
      message: 'Internal server error',
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    };
  };
}
