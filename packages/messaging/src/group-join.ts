import type { Consumer } from 'kafkajs';

/**
 * Resolves when the consumer has joined its group; rejects after `timeoutMs`, or at once when it
 * disconnects first (`close` during the join: give up now rather than at the timeout). Callers
 * await it after `run`; a start that failed before that never awaits it, so its rejection is
 * marked handled here rather than surfacing as an unhandled rejection.
 */
export function groupJoined(consumer: Consumer, groupId: string, timeoutMs: number): Promise<void> {
  const joined = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`group ${groupId} did not join within ${timeoutMs} ms`)), timeoutMs);
    consumer.on(consumer.events.GROUP_JOIN, () => {
      clearTimeout(timer);
      resolve();
    });
    consumer.on(consumer.events.DISCONNECT, () => {
      clearTimeout(timer);
      reject(new Error(`group ${groupId} disconnected before it joined`));
    });
  });
  joined.catch(() => undefined);
  return joined;
}
