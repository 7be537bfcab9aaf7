import type { Logger } from '@ticketing/platform';
import type { RedisFanout } from './redis-fanout';

/** The part of a contract's zod schema used here (the gateway parses through the contracts' schemas). */
export interface MessageSchema<T> {
  safeParse(input: unknown): { success: true; data: T } | { success: false };
}

/**
 * Listens on a channel for one contract's messages. Each is parsed (JSON, then the schema);
 * anything else is dropped with a warning, so one bad publish cannot end anyone's subscription.
 * Resolves once Redis confirmed the subscription; call the result to stop listening.
 */
export function listenForMessages<T>(
  deps: { fanout: RedisFanout; logger: Logger },
  channel: string,
  schema: MessageSchema<T>,
  onMessage: (message: T) => void,
): Promise<() => void> {
  return deps.fanout.listen(channel, (raw) => {
    const parsed = schema.safeParse(parseJson(raw));
    if (parsed.success) onMessage(parsed.data);
    else deps.logger.warn({ channel }, 'malformed realtime message ignored');
  });
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}
