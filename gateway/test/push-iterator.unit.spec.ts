import { createPushIterator } from '../src/realtime/push-iterator';

describe('push iterator', () => {
  it('given pushes before and after a pull, then every value arrives in order', async () => {
    const stream = createPushIterator<number>(() => undefined);
    stream.push(1);
    const pending = stream.next();
    stream.push(2);
    expect(await pending).toEqual({ value: 1, done: false });
    expect(await stream.next()).toEqual({ value: 2, done: false });
  });

  it('given a slow consumer, then the oldest values are dropped beyond capacity', async () => {
    const stream = createPushIterator<number>(() => undefined, 3);
    for (let i = 1; i <= 5; i += 1) stream.push(i);
    const values = [(await stream.next()).value, (await stream.next()).value, (await stream.next()).value];
    expect(values).toEqual([3, 4, 5]);
  });

  it('given the consumer leaves, then onClose runs exactly once and later pushes are ignored', async () => {
    const onClose = jest.fn();
    const stream = createPushIterator<number>(onClose);
    await stream.return?.();
    stream.push(1);
    stream.end();
    expect(onClose).toHaveBeenCalledTimes(1);
    expect(await stream.next()).toEqual({ value: undefined, done: true });
  });

  it('given end after a value, then the value is still delivered before done', async () => {
    const stream = createPushIterator<string>(() => undefined);
    stream.push('last');
    stream.end();
    expect(await stream.next()).toEqual({ value: 'last', done: false });
    expect(await stream.next()).toEqual({ value: undefined, done: true });
  });

  it('given a failure while a consumer waits, then the wait rejects', async () => {
    const stream = createPushIterator<string>(() => undefined);
    const pending = stream.next();
    stream.fail(new Error('boom'));
    await expect(pending).rejects.toThrow('boom');
  });
});
