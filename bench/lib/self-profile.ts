import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

/**
 * A CPU profile of this very process while `phase` runs (the replay runs in the bench process, as
 * `npm run history:replay` runs in its own): the in-process twin of inspector-profile.ts, written
 * in the `--cpu-prof` format so profile.ts reads it.
 */
export async function profileSelf<T>(file: string, phase: () => Promise<T>): Promise<T> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 1000 }); // µs, as --cpu-prof
    await session.post('Profiler.start');
    const result = await phase();
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(file, JSON.stringify(profile));
    return result;
  } finally {
    session.disconnect();
  }
}
