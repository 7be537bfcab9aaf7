import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { url: string; functionName: string } }>;
  samples: number[];
  timeDeltas: number[];
}

type CallFrame = CpuProfile['nodes'][number]['callFrame'];

/** Self time per group of call frames, in percent of non-idle samples, busiest first. */
function selfTimeBy(file: string, groupOf: (frame: CallFrame) => string, top: number): Array<{ name: string; percent: number }> {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const group = new Map(profile.nodes.map((n) => [n.id, n.callFrame.functionName === '(idle)' ? '(idle)' : groupOf(n.callFrame)]));
  const time = new Map<string, number>();
  // A sample lasts until the next one (as DevTools reads it): timeDeltas[0] is the wait before the
  // first sample, which for a profiler attached to a running process can be most of a second.
  profile.samples.forEach((id, i) => {
    const name = group.get(id) ?? 'other';
    time.set(name, (time.get(name) ?? 0) + (profile.timeDeltas[i + 1] ?? 0));
  });
  time.delete('(idle)');
  const busy = [...time.values()].reduce((a, b) => a + b, 0) || 1;
  return [...time.entries()]
    .map(([name, us]) => ({ name, percent: Math.round((us / busy) * 1000) / 10 }))
    .sort((a, b) => b.percent - a.percent)
    .slice(0, top);
}

const packageOf = (url: string) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];

/** Where a frame's code lives, coarse enough to read: a package, node itself, or our code. */
function categoryOf({ url, functionName }: CallFrame): string {
  if (!url) return functionName === '(garbage collector)' ? '(gc)' : '(native/program)';
  const pkg = packageOf(url);
  if (pkg) return pkg;
  if (url.startsWith('node:')) return 'node core';
  const ours = /\/(gateway|subgraphs\/[^/]+|packages\/[^/]+)\//.exec(url)?.[1];
  return ours ? `ours: ${ours}` : 'other';
}

/** Self time per package or area, from one `--cpu-prof` file. */
export function summarizeProfile(file: string, top = 8): Array<{ category: string; percent: number }> {
  return selfTimeBy(file, categoryOf, top).map(({ name, percent }) => ({ category: name, percent }));
}

/** The functions with the most self time, named with their package or file. */
export function topFunctions(file: string, top = 10): Array<{ name: string; percent: number }> {
  return selfTimeBy(
    file,
    ({ url, functionName }) => {
      const where = packageOf(url) ?? url.split('/').slice(-1)[0] ?? '';
      return `${functionName || '(anonymous)'}${where ? ` [${where}]` : ''}`;
    },
    top,
  );
}

/** The profiles a run's processes wrote into `dir` (node names them CPU.<date>.<time>.<pid>...). */
export function profilesIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => path.join(dir, f));
}
