/**
 * Where a phase's CPU went, per process, as differences around it: this process (the replay and
 * the ceilings run here), the services' own counters (the history process archiving), and the
 * stack's processes from /proc (FerretDB above all). Counters, not a profiler: no overhead.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { DEFAULT_EVENT_STORE_URL } from '@ticketing/event-store';
import { cpuSeconds, stackCpuSeconds } from '../lib/process-cost';

/** The port of the store this run uses (`EVENT_STORE_URL`, as the isolated system derives it). */
function storePort(): string {
  const match = /^mongodb:\/\/[^/:]+:(\d+)/.exec(process.env['EVENT_STORE_URL'] ?? DEFAULT_EVENT_STORE_URL);
  return match?.[1] ?? '27017';
}

/**
 * CPU seconds of the FerretDB process that serves this run's store (the one listening on its
 * port), from /proc; `stackCpuSeconds` sums every FerretDB on the box, and other stacks' run beside us.
 */
export function storeFerretCpuSeconds(port = storePort()): number | undefined {
  for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (!cmdline[0]?.endsWith('ferretdb') || !cmdline.some((arg) => arg === `--listen-addr=127.0.0.1:${port}`)) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i] ?? 0), 0) / 100;
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
}

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
  const storeBefore = storeFerretCpuSeconds();
  const selfBefore = process.cpuUsage();
  const started = performance.now();
  const result = await options.phase();
  const seconds = (performance.now() - started) / 1000;
  const self = process.cpuUsage(selfBefore);
  const stackAfter = stackCpuSeconds();
  const storeAfter = storeFerretCpuSeconds();
  const servicesAfter = await Promise.all(services.map(([, url]) => cpuSeconds(url)));
  const n = Math.max(1, options.events());
  const used = new Map<string, number>([[options.self, (self.user + self.system) / 1e6]]);
  services.forEach(([name], i) => used.set(name, servicesAfter[i]! - servicesBefore[i]!));
  for (const [name, total] of stackAfter) used.set(name, (used.get(name) ?? 0) + total - (stackBefore.get(name) ?? 0));
  // This store's FerretDB on its own; the others (other stacks, other people's runs) apart.
  if (storeBefore !== undefined && storeAfter !== undefined && used.has('ferretdb')) {
    const own = storeAfter - storeBefore;
    used.set('ferretdb (other instances)', used.get('ferretdb')! - own);
    used.set('ferretdb', own);
  }
  const usPerEvent = [...used]
    .map(([name, cpu]): [string, number] => [name, Math.round((cpu * 1e6) / n)])
    .filter(([, us]) => us >= 1)
    .sort((a, b) => b[1] - a[1]);
  return { result, seconds, usPerEvent };
}

export const formatSplit = (split: CpuSplit<unknown>) => split.usPerEvent.map(([name, us]) => `${name} ${us}`).join(', ');
