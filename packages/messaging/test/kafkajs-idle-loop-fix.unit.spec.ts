import '../src/kafkajs-idle-loop-fix';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the internal module the fix patches
const RequestQueue = require('kafkajs/src/network/requestQueue') as new (options: object) => {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests: () => void;
};

const queue = () =>
  new RequestQueue({ maxInFlightRequests: 1, requestTimeout: 30_000, enforceRequestTimeout: true, clientId: 'test', broker: 'b:9092', logger: { debug: () => undefined } });

describe('kafkajs request queue, patched for tulios/kafkajs#1556', () => {
  it('given nothing pending, then checking the queue arms no timer (kafkajs 2.2.4 re-armed one forever)', () => {
    const idle = queue();
    idle.checkPendingRequests();
    expect(idle.throttleCheckTimeoutId).toBeNull();
  });

  it('given a request held back by a throttle, then a check is scheduled for when the throttle ends', () => {
    jest.useFakeTimers();
    try {
      const throttled = queue();
      const request = { correlationId: 1, expectResponse: true, send: jest.fn() };
      throttled.pending.push(request);
      throttled.throttledUntil = Date.now() + 1_000;

      throttled.checkPendingRequests();
      expect(throttled.throttleCheckTimeoutId).not.toBeNull();
      jest.advanceTimersByTime(999);
      expect(request.send).not.toHaveBeenCalled();
      jest.advanceTimersByTime(1);
      expect(request.send).toHaveBeenCalledTimes(1);
      // Sent, nothing pending any more: no further timer.
      expect(throttled.throttleCheckTimeoutId).toBeNull();
    } finally {
      jest.useRealTimers();
    }
  });
});
