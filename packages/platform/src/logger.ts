import { format } from 'node:util';
import pino from 'pino';
import { currentRequestContext } from './request-context';
import { activeTraceIds } from './tracing';

export type Logger = pino.Logger;

/**
 * JSON logs, one line per event, stamped with the service name, the `correlationId` of the
 * request or event in hand and, inside a span, its `traceId` and `spanId` (the same ids the
 * trace backend shows, so a log line leads to its trace and back).
 */
export function createLogger(service: string, level = process.env['LOG_LEVEL'] ?? 'info'): Logger {
  return pino({
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin: () => {
      const correlationId = currentRequestContext()?.correlationId;
      const ids = activeTraceIds();
      return { ...(correlationId !== undefined && { correlationId }), ...ids };
    },
  });
}

/**
 * A crash is one JSON line at fatal, then exit 1, instead of Node's multi-line dump on stderr
 * (an uncaught error, or a rejection nobody handled, which Node 15+ treats as one).
 */
export function logCrashes(logger: Logger): void {
  process.on('uncaughtException', (error, origin) => {
    logger.fatal({ err: error, origin }, 'process crashed');
    process.exit(1);
  });
  routeConsoleToLogger(logger);
}

/**
 * What libraries print with console.* becomes a JSON line too (graphql-ws writes a socket's
 * protocol error with console.error, e.g. a frame over maxPayload), so every line a service writes
 * parses: the arguments are formatted as Node would, an Error among them kept as `err`.
 */
function routeConsoleToLogger(logger: Logger): void {
  const route =
    (level: 'error' | 'warn' | 'info' | 'debug') =>
    (...args: unknown[]): void => {
      const err = args.find((arg): arg is Error => arg instanceof Error);
      logger[level]({ source: 'console', ...(err && { err }) }, format(...args.filter((arg) => arg !== err)));
    };
  // Replacing the methods, not calling them: the rule against console calls does not apply here.
  /* eslint-disable no-console */
  console.error = route('error');
  console.warn = route('warn');
  console.log = route('info');
  console.info = route('info');
  console.debug = route('debug');
  /* eslint-enable no-console */
}
