/**
 * An async iterator fed by pushes (Redis messages, timers). Bounded: a subscriber that cannot
 * keep up loses its oldest undelivered payloads rather than growing memory without limit; for
 * state updates (a ticket, a booking) the newest payload is the one that matters.
 */
export interface PushIterator<T> extends AsyncIterableIterator<T> {
  push(value: T): void;
  end(): void;
  fail(error: unknown): void;
}

export function createPushIterator<T>(onClose: () => void, capacity = 64): PushIterator<T> {
  const buffer: T[] = [];
  const waiting: Array<{ resolve: (result: IteratorResult<T>) => void; reject: (error: unknown) => void }> = [];
  let done = false;
  let failure: unknown;
  let closed = false;

  const close = () => {
    if (closed) return;
    closed = true;
    onClose();
  };
  const finish = () => {
    done = true;
    for (const waiter of waiting.splice(0)) {
      if (failure !== undefined) waiter.reject(failure);
      else waiter.resolve({ value: undefined, done: true });
    }
    close();
  };

  const iterator: PushIterator<T> = {
    push(value) {
      if (done) return;
      const waiter = waiting.shift();
      if (waiter) return waiter.resolve({ value, done: false });
      if (buffer.length >= capacity) buffer.shift();
      buffer.push(value);
    },
    end() {
      if (!done) finish();
    },
    fail(error) {
      if (done) return;
      failure = error;
      finish();
    },
    next() {
      if (buffer.length > 0) return Promise.resolve({ value: buffer.shift() as T, done: false });
      if (failure !== undefined && done) return Promise.reject(failure);
      if (done) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
    },
    return() {
      buffer.length = 0;
      failure = undefined;
      finish();
      return Promise.resolve({ value: undefined, done: true });
    },
    throw(error) {
      iterator.fail(error);
      return Promise.reject(error);
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
