/**
 * Where a phase's CPU went, per process, as differences around it: this process (the replay and
 * the ceilings run here), the services' own counters (the history process archiving), and the
 * stack's processes from /proc (FerretDB above all). Counters, not a profiler: no overhead.
 */
import { cpuSeconds, stackCpuSeconds } from '../lib/process-cost';

export interface CpuSplit<T> {
  result: T;
  seconds: number;
  /** CPU microseconds per event by process, busiest first (processes under 1 µs left out). */
  usPerEvent: Array<[string, number]>;
}

export async function measureCpu<T>(options: {
  /** Name for this process in the split, e.g. `replay (bench process)`. */
  self: string;
  /** Other Node processes by name → their /metrics URL. */
  services?: Record<string, string>;
  events: () => number;
  phase: () => Promise<T>;
}): Promise<CpuSplit<T>> {
  const services = Object.entries(options.services ?? {});
  const servicesBefore = await Promise.all(services.map(([, url]) => cpuSeconds(url)));
  const stackBefore = stackCpuSeconds();
  const selfBefore = process.cpuUsage();
  const started = performance.now();
  const result = await options.phase();
  const seconds = (performance.now() - started) / 1000;
  const self = process.cpuUsage(selfBefore);
  const stackAfter = stackCpuSeconds();
  const servicesAfter = await Promise.all(services.map(([, url]) => cpuSeconds(url)));
  const n = Math.max(1, options.events());
  const used = new Map<string, number>([[options.self, (self.user + self.system) / 1e6]]);
  services.forEach(([name], i) => used.set(name, servicesAfter[i]! - servicesBefore[i]!));
  for (const [name, total] of stackAfter) used.set(name, (used.get(name) ?? 0) + total - (stackBefore.get(name) ?? 0));
  const usPerEvent = [...used]
    .map(([name, cpu]): [string, number] => [name, Math.round((cpu * 1e6) / n)])
    .filter(([, us]) => us >= 1)
    .sort((a, b) => b[1] - a[1]);
  return { result, seconds, usPerEvent };
}

export const formatSplit = (split: CpuSplit<unknown>) => split.usPerEvent.map(([name, us]) => `${name} ${us}`).join(', ');
