/**
 * How a consumer retries a handler that threw before parking the message: `attempts` tries in
 * all, waiting baseDelayMs × 2^n (capped) between them. Kept short on purpose: a partition is
 * blocked while a message retries, so a long outage belongs on the dead-letter topic, not here.
 */
export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 3, baseDelayMs: 50, maxDelayMs: 5_000 };

/** Delay before retry number `retry` (0 = the wait after the first failure). Pure. */
export function backoffDelay(retry: number, policy: RetryPolicy): number {
  if (!Number.isInteger(retry) || retry < 0) throw new RangeError(`retry must be a non-negative integer, got ${retry}`);
  return Math.min(policy.baseDelayMs * 2 ** retry, policy.maxDelayMs);
}

/**
 * Runs `attempt` until it resolves or the policy is exhausted; the last error is rethrown.
 * `sleep` is injected so unit specs run without real time.
 */
export async function withRetry<T>(
  attempt: (attemptNumber: number) => Promise<T>,
  policy: RetryPolicy,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  onRetry?: (error: unknown, attemptNumber: number, delayMs: number) => void,
): Promise<T> {
  for (let n = 0; ; n++) {
    try {
      return await attempt(n + 1);
    } catch (error) {
      if (n + 1 >= policy.attempts) throw error;
      const delay = backoffDelay(n, policy);
      onRetry?.(error, n + 1, delay);
      await sleep(delay);
    }
  }
}
