import { listenFetch } from '../src/realtime/fetch-listen-fetch';

/*
 * listenFetch: how a subscription whose channel its argument names starts, with one read. The
 * steps are recorded in order; a message "published" while the read is in flight must follow the
 * answer, never precede it or be lost.
 */

interface State {
  version: number;
  final: boolean;
}

function harness(options: { answer: State | Error; publishDuringRead?: number[] }) {
  const log: string[] = [];
  let deliver: ((message: number) => void) | undefined;
  const run = listenFetch<State, number>({
    channel: 'rt:booking:1',
    async listen(channel, onMessage) {
      log.push(`listen ${channel}`);
      deliver = onMessage;
      return () => log.push('stop');
    },
    onListening: () => log.push('listening'),
    async fetch() {
      log.push('fetch');
      for (const message of options.publishDuringRead ?? []) deliver?.(message);
      if (options.answer instanceof Error) throw options.answer;
      return options.answer;
    },
    isFinal: (state) => state.final,
    begin: (state) => log.push(`begin v${state.version}`),
    onMessage: (message) => log.push(`message v${message}`),
  });
  return { log, run, publish: (message: number) => deliver?.(message) };
}

describe('listenFetch', () => {
  it('listens before it reads, reads once, and hands on what was heard during the read after the answer, in order', async () => {
    const { log, run, publish } = harness({ answer: { version: 1, final: false }, publishDuringRead: [1, 2] });
    await run;
    publish(3);

    expect(log).toEqual(['listen rt:booking:1', 'listening', 'fetch', 'begin v1', 'message v1', 'message v2', 'message v3']);
  });

  it('given a read that fails (not the subscriber’s booking), stops listening, hands nothing on and rejects with its error', async () => {
    const refused = new Error('Booking not found');
    const { log, run } = harness({ answer: refused, publishDuringRead: [1] });

    await expect(run).rejects.toBe(refused);
    expect(log).toEqual(['listen rt:booking:1', 'listening', 'fetch', 'stop']);
  });

  it('given a final state, stops listening and begins from it, handing nothing heard on', async () => {
    const { log, run } = harness({ answer: { version: 2, final: true }, publishDuringRead: [2] });
    await run;

    expect(log).toEqual(['listen rt:booking:1', 'listening', 'fetch', 'stop', 'begin v2']);
  });
});
