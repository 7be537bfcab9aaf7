/**
 * Every error the API documents (shared/API.md, `extensions.code`), in words a fan can act on.
 * Pure, so it is unit-tested; the client turns every failure into an ApiError carrying one code.
 */
export const ERROR_CODES = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'SEAT_UNAVAILABLE',
  'QUEUE_TOKEN_INVALID',
  'INVALID_STATE',
  'INSUFFICIENT_BALANCE',
  'RATE_LIMITED',
  'SEAT_LIMIT_REACHED',
  'PRICE_FROZEN',
  'ACCOUNT_LOCKED',
  'REFUND_NOT_ALLOWED',
  'SERVICE_UNAVAILABLE',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** A failure as the app shows it: the API's code (or NETWORK / UNKNOWN) and what came with it. */
export interface ApiFailure {
  code: ErrorCode | 'NETWORK' | 'UNKNOWN';
  /** The server's own message, shown only for BAD_USER_INPUT, where it names the field. */
  serverMessage?: string;
  retryAfterSeconds?: number;
}

const isErrorCode = (code: unknown): code is ErrorCode => typeof code === 'string' && (ERROR_CODES as readonly string[]).includes(code);

/** Reads a GraphQL error's extensions into an ApiFailure; unknown codes become UNKNOWN. */
export function failureFrom(error: { message?: string; extensions?: Record<string, unknown> } | undefined): ApiFailure {
  const code = error?.extensions?.['code'];
  const retryAfter = error?.extensions?.['retryAfterSeconds'];
  return {
    code: isErrorCode(code) ? code : 'UNKNOWN',
    ...(error?.message ? { serverMessage: error.message } : {}),
    ...(typeof retryAfter === 'number' ? { retryAfterSeconds: retryAfter } : {}),
  };
}

const seconds = (n: number) => (n === 1 ? '1 second' : `${n} seconds`);

export function humanMessage(failure: ApiFailure): string {
  switch (failure.code) {
    case 'UNAUTHENTICATED':
      return 'Your session has ended. Please log in again.';
    case 'FORBIDDEN':
      return 'You are not allowed to do that.';
    case 'BAD_USER_INPUT':
      return failure.serverMessage ? `Please check what you entered: ${failure.serverMessage}` : 'Please check what you entered.';
    case 'NOT_FOUND':
      return 'We could not find that. It may have been removed.';
    case 'CONFLICT':
      return 'That conflicts with something that already exists (for example, this e-mail already has an account).';
    case 'SEAT_UNAVAILABLE':
      return 'Sorry, one of those seats was just taken. Please choose others.';
    case 'QUEUE_TOKEN_INVALID':
      return 'Your place in the waiting room is no longer valid. Please enter the waiting room again.';
    case 'INVALID_STATE':
      return 'That is not possible any more: the booking or sale has moved on. The page shows where it stands now.';
    case 'INSUFFICIENT_BALANCE':
      return 'Your wallet balance is too low. Top it up, then pay again.';
    case 'RATE_LIMITED':
      return failure.retryAfterSeconds !== undefined
        ? `Too many attempts. Please try again in ${seconds(failure.retryAfterSeconds)}.`
        : 'Too many attempts. Please wait a moment and try again.';
    case 'SEAT_LIMIT_REACHED':
      return 'You have reached the most seats one fan may buy for this show.';
    case 'PRICE_FROZEN':
      return 'Prices are frozen once fans have been admitted.';
    case 'ACCOUNT_LOCKED':
      return 'This account is locked. Please contact support.';
    case 'REFUND_NOT_ALLOWED':
      return 'This booking can no longer be refunded: the refund cutoff before the show has passed.';
    case 'SERVICE_UNAVAILABLE':
      return failure.retryAfterSeconds !== undefined
        ? `That part of the service is restarting; nothing is lost (a place in line is kept). Please try again in ${seconds(failure.retryAfterSeconds)}.`
        : 'That part of the service is restarting; nothing is lost (a place in line is kept). Please try again in a moment.';
    case 'NETWORK':
      return 'We cannot reach the server. Check your connection; we will keep trying.';
    case 'UNKNOWN':
      return 'Something went wrong on our side. Please try again.';
  }
}
