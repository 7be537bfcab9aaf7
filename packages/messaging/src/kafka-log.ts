import { logLevel, type LogEntry } from 'kafkajs';
import type { Logger } from '@ticketing/platform';

/**
 * Routes kafkajs' own log lines into the service's JSON log. kafkajs names its protocol request
 * counter `correlationId`; in our logs that key is the request's or event's correlation id, so
 * the Kafka one is renamed rather than left to collide (a number where a trail id belongs).
 */
export function kafkaLogCreator(logger: Logger) {
  return () =>
    ({ namespace, level, log }: LogEntry) => {
      const { message, correlationId: kafkaCorrelationId, ...extra } = log as LogEntry['log'] & { correlationId?: unknown };
      const fields = { kafka: namespace, ...extra, ...(kafkaCorrelationId !== undefined && { kafkaCorrelationId }) };
      if (level === logLevel.ERROR) logger.error(fields, message);
      else if (level === logLevel.WARN) logger.warn(fields, message);
      else if (level === logLevel.INFO) logger.info(fields, message);
      else logger.debug(fields, message);
    };
}
