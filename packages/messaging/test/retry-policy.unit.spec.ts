import { backoffDelay, withRetry, type RetryPolicy } from '../src/retry-policy';

const policy: RetryPolicy = { attempts: 3, baseDelayMs: 50, maxDelayMs: 150 };

describe('backoff', () => {
  it('doubles the delay after each failure and caps it', () => {
    expect([0, 1, 2, 3].map((retry) => backoffDelay(retry, policy))).toEqual([50, 100, 150, 150]);
  });

  it('refuses a negative or fractional retry number', () => {
    expect(() => backoffDelay(-1, policy)).toThrow(RangeError);
    expect(() => backoffDelay(0.5, policy)).toThrow(RangeError);
  });
});

describe('withRetry', () => {
  it('given an attempt that fails twice, when retried, then it succeeds on the third try after 50 and 100 ms', async () => {
    const waits: number[] = [];
    let calls = 0;
    const result = await withRetry(
      async () => {
        calls++;
        if (calls < 3) throw new Error(`boom ${calls}`);
        return 'ok';
      },
      policy,
      async (ms) => void waits.push(ms),
    );
    expect(result).toBe('ok');
    expect(waits).toEqual([50, 100]);
  });

  it('given an attempt that always fails, then the last error is rethrown after `attempts` tries', async () => {
    let calls = 0;
    const failing = withRetry(
      async () => {
        calls++;
        throw new Error(`boom ${calls}`);
      },
      policy,
      async () => undefined,
    );
    await expect(failing).rejects.toThrow('boom 3');
    expect(calls).toBe(3);
  });
});
