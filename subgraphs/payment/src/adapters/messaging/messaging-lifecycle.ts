import type { ServiceMessaging } from '@ticketing/messaging';
import type { Logger } from '@ticketing/platform';

export interface MessagingLifecycle {
  /** Begins the attempts in the background; resolves at once. */
  start: () => void;
  /** Readiness: throws until the consumers run. */
  check: () => Promise<void>;
  /** Ends the start-up retries, or stops the running messaging (in-flight messages finish). */
  stop: () => Promise<void>;
}

/**
 * Starts the service's messaging in the background and keeps trying, with backoff, while Kafka
 * cannot be reached: the process stays up and logs every failed attempt as an error, and its
 * readiness reports `kafka: down`, instead of exiting into a restart loop that hides the cause.
 * Each attempt builds a fresh ServiceMessaging, because a bus that failed half-way through
 * start cannot be reused once it was closed.
 */
export function messagingWithRetry(options: {
  create: () => ServiceMessaging;
  logger: Logger;
  firstDelayMs?: number;
  maxDelayMs?: number;
}): MessagingLifecycle {
  const { logger, firstDelayMs = 1_000, maxDelayMs = 30_000 } = options;
  let running: ServiceMessaging | undefined;
  let starting: Promise<void> | undefined;
  let stopping = false;
  let wake: (() => void) | undefined;
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  async function attemptUntilStarted(): Promise<void> {
    for (let attempt = 1; !stopping; attempt++) {
      const messaging = options.create();
      try {
        await messaging.start();
        running = messaging;
        logger.info({ attempt }, 'messaging started: consuming booking.events, relaying the outbox');
        return;
      } catch (error) {
        const retryInMs = Math.min(firstDelayMs * 2 ** (attempt - 1), maxDelayMs);
        logger.error({ err: error, attempt, retryInMs }, 'messaging could not start (is Kafka reachable?); retrying');
        await messaging.stop().catch((stopError: unknown) => logger.warn({ err: stopError }, 'cleaning up a failed messaging start'));
        if (!stopping) await pause(retryInMs);
      }
    }
  }

  return {
    start() {
      starting ??= attemptUntilStarted();
    },
    async check() {
      if (!running) throw new Error('booking.events consumer not running yet');
    },
    async stop() {
      stopping = true;
      wake?.();
      await starting;
      await running?.stop();
      running = undefined;
    },
  };
}
