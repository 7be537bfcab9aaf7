import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { url: string; functionName: string } }>;
  samples: number[];
  timeDeltas: number[];
}

/** Where a sample's code lives, coarse enough to read: a package, node itself, or our code. */
function categoryOf(url: string, functionName: string): string {
  if (!url) return functionName === '(garbage collector)' ? '(gc)' : functionName === '(idle)' ? '(idle)' : '(native/program)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) return pkg;
  if (url.startsWith('node:')) return 'node core';
  const ours = /\/(gateway|subgraphs\/[^/]+|packages\/[^/]+)\//.exec(url)?.[1];
  return ours ? `ours: ${ours}` : 'other';
}

/** Self time per category, in percent of non-idle samples, from one `--cpu-prof` file. */
export function summarizeProfile(file: string, top = 8): Array<{ category: string; percent: number }> {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const nodeCategory = new Map(profile.nodes.map((n) => [n.id, categoryOf(n.callFrame.url, n.callFrame.functionName)]));
  const time = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const category = nodeCategory.get(id) ?? 'other';
    time.set(category, (time.get(category) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  time.delete('(idle)');
  const busy = [...time.values()].reduce((a, b) => a + b, 0) || 1;
  return [...time.entries()]
    .map(([category, us]) => ({ category, percent: Math.round((us / busy) * 1000) / 10 }))
    .sort((a, b) => b.percent - a.percent)
    .slice(0, top);
}

/** The newest profile a process wrote into `dir` (node names them CPU.<date>.<pid>...). */
export function profilesIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => path.join(dir, f));
}

/** The functions with the most self time (non-idle), named with their package or file. */
export function topFunctions(file: string, top = 10): Array<{ name: string; percent: number }> {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const nameOf = new Map(
    profile.nodes.map((n) => {
      const where = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(n.callFrame.url)?.[1] ?? n.callFrame.url.split('/').slice(-1)[0] ?? '';
      return [n.id, `${n.callFrame.functionName || '(anonymous)'}${where ? ` [${where}]` : ''}`];
    }),
  );
  const time = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const name = nameOf.get(id) ?? '?';
    time.set(name, (time.get(name) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  time.delete('(idle)');
  const busy = [...time.values()].reduce((a, b) => a + b, 0) || 1;
  return [...time.entries()]
    .map(([name, us]) => ({ name, percent: Math.round((us / busy) * 1000) / 10 }))
    .sort((a, b) => b.percent - a.percent)
    .slice(0, top);
}
