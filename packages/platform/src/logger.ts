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
}
