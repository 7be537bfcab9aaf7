import type { Redis } from '@ticketing/platform';
import { createRedisSeatLocks } from '../src/adapters/redis/seat-locks';

/**
 * The seat locks' release comes after the hold is decided (committed or rolled back): Redis
 * failing then must not turn a committed hold into an error for the fan (bench/faults found it
 * during a Redis crash). Driven by a stand-in client whose second call fails.
 */
it('given a lock taken, when Redis fails on its release, then the release still resolves (the lock lapses at its TTL)', async () => {
  const calls: string[] = [];
  const redis = {
    defineCommand: () => undefined,
    async seatLocksAcquire() {
      calls.push('acquire');
      return 1;
    },
    async seatLocksRelease() {
      calls.push('release');
      throw new Error('Connection is closed.');
    },
  };
  const lock = await createRedisSeatLocks(redis as unknown as Redis, 5_000).acquire('5c4ed000-0000-4000-8000-000000000011', ['a', 'b']);
  expect(lock).not.toBeNull();
  await expect(lock!.release()).resolves.toBeUndefined();
  expect(calls).toEqual(['acquire', 'release']);
});
