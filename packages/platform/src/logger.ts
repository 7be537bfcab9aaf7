import pino from 'pino';
import { currentRequestContext } from './request-context';

export type Logger = pino.Logger;

/** JSON logs, one line per event, stamped with the service name and the current request id. */
export function createLogger(service: string, level = process.env['LOG_LEVEL'] ?? 'info'): Logger {
  return pino({
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin: () => {
      const context = currentRequestContext();
      return context ? { requestId: context.requestId } : {};
    },
  });
}
