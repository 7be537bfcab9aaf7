import { joinSameTurn } from '../src/join-same-turn';

describe('joinSameTurn', () => {
  const recording = (fail?: (items: string[]) => boolean) => {
    const calls: string[][] = [];
    const join = joinSameTurn<string>(async (items) => {
      calls.push(items);
      if (fail?.(items)) throw new Error(`failed: ${items.join(',')}`);
    }, 5);
    return { calls, join };
  };

  it('given submissions in one turn, then they go in one call, in arrival order, and every submitter hears of it', async () => {
    const { calls, join } = recording();

    await Promise.all([join(['a1', 'a2']), join(['b1']), join(['c1', 'c2'])]);

    expect(calls).toEqual([['a1', 'a2', 'b1', 'c1', 'c2']]);
  });

  it('given submissions in different turns, then each goes in a call of its own', async () => {
    const { calls, join } = recording();

    await join(['a']);
    await join(['b']);

    expect(calls).toEqual([['a'], ['b']]);
  });

  it('given more than the limit in one turn, then whole submissions are split across calls, and one larger than the limit goes alone', async () => {
    const { calls, join } = recording();

    await Promise.all([join(['a1', 'a2', 'a3']), join(['b1', 'b2']), join(['c1']), join(['d1', 'd2', 'd3', 'd4', 'd5', 'd6']), join(['e1'])]);

    expect(calls).toEqual([['a1', 'a2', 'a3', 'b1', 'b2'], ['c1'], ['d1', 'd2', 'd3', 'd4', 'd5', 'd6'], ['e1']]);
  });

  it('given a call that fails, then every submitter of it is refused with its error, and those of other calls are not', async () => {
    const { join } = recording((items) => items.includes('b1'));

    const outcomes = await Promise.allSettled([join(['a1', 'a2', 'a3']), join(['b1', 'b2']), join(['c1'])]);

    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
    expect((outcomes[0] as PromiseRejectedResult).reason).toEqual(new Error('failed: a1,a2,a3,b1,b2'));
  });

  it('given a handler that throws before returning a promise, then its submitters are refused rather than the process', async () => {
    const join = joinSameTurn<string>(((items: string[]) => {
      throw new Error(`sync: ${items.join(',')}`);
    }) as unknown as (items: string[]) => Promise<void>, 5);

    await expect(join(['a'])).rejects.toThrow('sync: a');
  });
});
