import type { EventEnvelope } from '@ticketing/contracts';
import type { AppendResult } from '@ticketing/event-store';
import { coalesceAppends } from '../src/application/coalesce-appends';

const envelope = (eventId: string, streamVersion = 1) => ({ eventId, stream: { type: 'booking', id: eventId }, streamVersion }) as unknown as EventEnvelope;

/** A fake store: remembers eventIds, reports repeats as duplicates, `bad` events make the whole append throw. */
function fakeStore() {
  const stored = new Set<string>();
  const calls: string[][] = [];
  let position = 0;
  let release: (() => void) | undefined;
  const append = async (envelopes: readonly EventEnvelope[]): Promise<AppendResult> => {
    calls.push(envelopes.map((e) => e.eventId));
    if (!release) await new Promise<void>((resolve) => (release = resolve));
    if (envelopes.some((e) => e.eventId.startsWith('bad'))) throw new Error('store refused');
    const result: AppendResult = { appended: [], duplicates: [], conflicts: [] };
    for (const e of envelopes) {
      if (stored.has(e.eventId)) result.duplicates.push(e.eventId);
      else {
        stored.add(e.eventId);
        result.appended.push({ eventId: e.eventId, stream: e.stream, streamVersion: e.streamVersion, globalPosition: ++position });
      }
    }
    return result;
  };
  return { append, calls, open: () => release?.() };
}

describe('coalesceAppends', () => {
  it('given appends arriving while one is in flight, then they go to the store as one append and each caller gets only its own outcomes', async () => {
    const store = fakeStore();
    const append = coalesceAppends(store.append, { maxEvents: 100 });
    const first = append([envelope('a')]);
    const second = append([envelope('b'), envelope('c')]);
    const third = append([envelope('d'), envelope('a')]);
    store.open();
    const [r1, r2, r3] = await Promise.all([first, second, third]);
    expect(store.calls).toEqual([['a'], ['b', 'c', 'd', 'a']]);
    expect(r1.appended.map((e) => e.eventId)).toEqual(['a']);
    expect(r2).toEqual({ appended: [expect.objectContaining({ eventId: 'b' }), expect.objectContaining({ eventId: 'c' })], duplicates: [], conflicts: [] });
    expect(r3).toEqual({ appended: [expect.objectContaining({ eventId: 'd' })], duplicates: ['a'], conflicts: [] });
  });

  it('given a combined append fails, then each caller is appended on its own and only the bad one fails', async () => {
    const store = fakeStore();
    const append = coalesceAppends(store.append, { maxEvents: 100 });
    const first = append([envelope('x')]);
    const good = append([envelope('g')]);
    const bad = append([envelope('bad-1')]);
    store.open();
    await first;
    await expect(good).resolves.toMatchObject({ appended: [{ eventId: 'g' }] });
    await expect(bad).rejects.toThrow('store refused');
    expect(store.calls).toEqual([['x'], ['g', 'bad-1'], ['g'], ['bad-1']]);
  });

  it('given more waiting than maxEvents, then they are split by whole callers', async () => {
    const store = fakeStore();
    const append = coalesceAppends(store.append, { maxEvents: 3 });
    const all = [append([envelope('1')]), append([envelope('2'), envelope('3')]), append([envelope('4')]), append([envelope('5'), envelope('6'), envelope('7'), envelope('8')])];
    store.open();
    await Promise.all(all);
    expect(store.calls).toEqual([['1'], ['2', '3', '4'], ['5', '6', '7', '8']]);
  });
});
