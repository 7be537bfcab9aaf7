/**
 * Replay rate of every projection the registry holds (`createProjections`, so one added later is
 * measured without touching the bench), through `runReplay`: the very function behind
 * `npm run history:replay -- --projection <name>`, run in this process as the CLI runs in its own.
 */
import path from 'node:path';
import { MongoClient } from '@ticketing/event-store';
import { loadToolsEnv, runReplay } from '../../scripts/history';
import { createProjections } from '../../subgraphs/history/src/projections';
import { profileSelf } from '../lib/self-profile';
import { measureCpu, type CpuSplit } from './cpu-split';

export interface ReplayResult {
  projection: string;
  applied: number;
  seconds: number;
  perSecond: number;
  /** The CPU profile of this replay, when profiling. */
  profile?: string;
}

export async function projectionNames(eventStoreUrl: string): Promise<string[]> {
  const client = new MongoClient(eventStoreUrl, { appName: 'bench-replay-catalogue' });
  try {
    // Only the names are read here: nothing is projected, so nothing is announced.
    return Object.keys(createProjections(client.db(), { changed: async () => undefined }).projections);
  } finally {
    await client.close();
  }
}

export async function replayEach(options: {
  env: Record<string, string>;
  log: (line: string) => void;
  /** Profile each replay into this directory (the numbers are then slower than without). */
  profileDir?: string;
}): Promise<Array<CpuSplit<ReplayResult>>> {
  const env = loadToolsEnv({ ...process.env, ...options.env });
  const results: Array<CpuSplit<ReplayResult>> = [];
  for (const projection of await projectionNames(env.EVENT_STORE_URL)) {
    let applied = 0;
    const profile = options.profileDir ? path.join(options.profileDir, `replay.${projection}.cpuprofile`) : undefined;
    const replay = async (): Promise<ReplayResult> => {
      const started = performance.now();
      const [outcome] = await runReplay({ env, projection, print: (line) => options.log(`  ${line}`) });
      const seconds = (performance.now() - started) / 1000;
      if (outcome?.kind !== 'Replayed') throw new Error(`replay of ${projection} refused: ${outcome?.kind ?? 'no outcome'}`);
      applied = outcome.applied;
      return { projection, applied, seconds: Math.round(seconds * 100) / 100, perSecond: Math.round(applied / seconds), ...(profile && { profile }) };
    };
    results.push(await measureCpu({ self: 'replay (bench process)', events: () => applied, phase: () => (profile ? profileSelf(profile, replay) : replay()) }));
  }
  return results;
}
