import { createOffsetCommitter, type PartitionOffset } from '../src/offset-committer';

const logger = { warn: jest.fn() } as unknown as Parameters<typeof createOffsetCommitter>[0]['logger'];

function committer() {
  const commits: PartitionOffset[][] = [];
  let fail = false;
  const offsets = createOffsetCommitter({
    groupId: 'g',
    logger,
    intervalMs: 1_000,
    commit: async (handled) => {
      if (fail) throw new Error('REBALANCE_IN_PROGRESS');
      commits.push(handled);
    },
  });
  return { offsets, commits, failNext: () => (fail = true), recover: () => (fail = false) };
}

describe('the offset committer', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('given 300 messages handled on three partitions within an interval, then one commit names each partition once, one past its last message', async () => {
    const { offsets, commits } = committer();
    for (let i = 0; i < 300; i++) offsets.handled('booking.events', i % 3, String(Math.floor(i / 3)));

    expect(commits).toEqual([]);
    await jest.advanceTimersByTimeAsync(1_000);

    expect(commits).toEqual([
      [
        { topic: 'booking.events', partition: 0, offset: '100' },
        { topic: 'booking.events', partition: 1, offset: '100' },
        { topic: 'booking.events', partition: 2, offset: '100' },
      ],
    ]);
  });

  it('given nothing handled, then no timer runs (an idle consumer never wakes for it)', async () => {
    const { offsets, commits } = committer();
    expect(jest.getTimerCount()).toBe(0);
    offsets.handled('t', 0, '5');
    expect(jest.getTimerCount()).toBe(1);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(jest.getTimerCount()).toBe(0);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(commits).toHaveLength(1);
  });

  it('given an older offset handed again (a redelivery), then the commit never moves backwards', async () => {
    const { offsets, commits } = committer();
    offsets.handled('t', 0, '9');
    await offsets.flush();
    offsets.handled('t', 0, '4');
    offsets.handled('t', 0, '9');
    await offsets.flush();
    offsets.handled('t', 0, '10');
    await offsets.flush();

    expect(commits).toEqual([[{ topic: 't', partition: 0, offset: '10' }], [{ topic: 't', partition: 0, offset: '11' }]]);
  });

  it('given a commit refused by a rebalance, then it is logged, not thrown, and later offsets still commit', async () => {
    const { offsets, commits, failNext, recover } = committer();
    failNext();
    offsets.handled('t', 0, '1');
    await jest.advanceTimersByTimeAsync(1_000);
    expect(logger.warn).toHaveBeenCalled();
    recover();
    offsets.handled('t', 0, '2');
    await jest.advanceTimersByTimeAsync(1_000);
    expect(commits).toEqual([[{ topic: 't', partition: 0, offset: '3' }]]);
  });
});
