/**
 * Works around kafkajs 2.2.4's idle busy loop (tulios/kafkajs#1556, fix proposed in #1667, not
 * released: kafkajs is unmaintained). `RequestQueue.scheduleCheckPendingRequests` re-arms a
 * `setTimeout` with a negative delay whenever nothing is pending, so every broker connection of
 * every producer, consumer and admin spins at timer resolution forever. Profiles of the on-sale
 * benchmark showed it as the hottest kafkajs function in every service, idle or not.
 *
 * The replacement schedules a check only when requests are pending: at the end of a throttle, or
 * shortly when the in-flight limit is what holds them back (a fulfilled request checks again
 * anyway). With nothing pending there is nothing to send; `push` schedules when it queues one.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- an internal module, not in kafkajs' typed API
const RequestQueue = require('kafkajs/src/network/requestQueue') as { prototype: RequestQueueInternals };

interface RequestQueueInternals {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests: () => void;
  scheduleCheckPendingRequests: () => void;
}

/** kafkajs' own CHECK_PENDING_REQUESTS_INTERVAL. */
const CHECK_PENDING_REQUESTS_INTERVAL_MS = 10;

export function scheduleCheckPendingRequests(this: RequestQueueInternals): void {
  if (this.throttleCheckTimeoutId || this.pending.length === 0) return;
  const throttledForMs = this.throttledUntil - Date.now();
  this.throttleCheckTimeoutId = setTimeout(
    () => {
      this.throttleCheckTimeoutId = null;
      this.checkPendingRequests();
    },
    throttledForMs > 0 ? throttledForMs : CHECK_PENDING_REQUESTS_INTERVAL_MS,
  );
}

RequestQueue.prototype.scheduleCheckPendingRequests = scheduleCheckPendingRequests;
