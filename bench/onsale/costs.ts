/**
 * What one hold or one payment costs, by process: the services' own CPU counters, the stack's
 * processes from /proc (PostgreSQL per database, Redis, Kafka, FerretDB), the load generator
 * itself, and Redis's command accounting, all as differences around the phase.
 */
import os from 'node:os';
import type { Redis } from '@ticketing/platform';
import { measurePhase, stackCpuSeconds, stackLabel } from '../lib/process-cost';
import { boxTicks } from '../lib/proc-stat';

export interface PhaseCost<T> {
  result: T;
  /** CPU milliseconds per operation, busiest first. */
  cpuMsPerOp: Array<[string, number]>;
  /** Share of the box's cores busy during the phase, from /proc/stat: everything, ours or not. */
  boxBusyPercent: number;
  /** The part of that no measured process accounts for: other work on the box (another run, the kernel). */
  unaccountedPercent: number;
  redisCallsPerOp: number;
  redisUsecPerOp: number;
  redisTopCommands: string;
  /** PostgreSQL statements (round trips) per operation, by sending process, most first. */
  pgRoundTripsPerOp: Array<[string, number]>;
  pgConnectionsOpenedPerOp: number;
  /** Garbage-collection pauses per operation (ms, main threads), by process, most first: a part of their CPU above. */
  gcMsPerOp: Array<[string, number]>;
}

/** How busy the whole box is over the next `seconds`, in percent of all cores. */
export async function boxBusyPercentOver(seconds: number): Promise<number> {
  const before = boxTicks();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const after = boxTicks();
  return Math.round(((after.busy - before.busy) * 100) / (after.total - before.total));
}

/**
 * Waits (up to `timeoutSeconds`) for a moment when the box is nearly idle: it is shared with
 * other people's builds and test runs, and numbers taken beside them measure them too.
 */
export async function waitForQuietBox(options: { maxBusyPercent: number; timeoutSeconds: number; onBusy: (percent: number) => void }): Promise<number> {
  const deadline = performance.now() + options.timeoutSeconds * 1000;
  for (;;) {
    const busy = await boxBusyPercentOver(5);
    if (busy <= options.maxBusyPercent || performance.now() > deadline) return busy;
    options.onBusy(busy);
  }
}

export async function measureCost<T>(options: {
  services: Record<string, string>;
  runId: string;
  redis: Redis;
  operations: () => number;
  phase: () => Promise<T>;
}): Promise<PhaseCost<T>> {
  const boxBefore = boxTicks();
  const stackBefore = stackCpuSeconds();
  const selfBefore = process.cpuUsage();
  const started = performance.now();
  const measured = await measurePhase(options.services, options.redis, options.operations, options.phase);
  const wallSeconds = (performance.now() - started) / 1000;
  const self = process.cpuUsage(selfBefore);
  const stackAfter = stackCpuSeconds();
  const boxAfter = boxTicks();
  const n = Math.max(1, options.operations());

  const perOp = new Map<string, number>(Object.entries(measured.cpuMsPerRequest));
  for (const [name, seconds] of stackAfter) {
    const label = stackLabel(name, options.runId);
    perOp.set(label, (perOp.get(label) ?? 0) + ((seconds - (stackBefore.get(name) ?? 0)) * 1000) / n);
  }
  perOp.set('load generator', (self.user + self.system) / 1000 / n);
  const cpuMsPerOp = [...perOp]
    .map(([name, ms]): [string, number] => [name, Math.round(ms * 1000) / 1000])
    .filter(([, ms]) => ms > 0)
    .sort((a, b) => b[1] - a[1]);
  const accountedPercent = (cpuMsPerOp.reduce((sum, [, ms]) => sum + ms, 0) * n * 100) / (wallSeconds * 1000 * os.cpus().length);
  const boxBusyPercent = ((boxAfter.busy - boxBefore.busy) * 100) / (boxAfter.total - boxBefore.total);
  return {
    result: measured.result,
    cpuMsPerOp,
    boxBusyPercent: Math.round(boxBusyPercent),
    unaccountedPercent: Math.max(0, Math.round(boxBusyPercent - accountedPercent)),
    redisCallsPerOp: measured.redisCallsPerRequest,
    redisUsecPerOp: measured.redisUsecPerRequest,
    redisTopCommands: measured.redisTopCommands,
    pgRoundTripsPerOp: Object.entries(measured.pgRoundTripsPerRequest).sort((a, b) => b[1] - a[1]),
    pgConnectionsOpenedPerOp: measured.pgConnectionsOpenedPerRequest,
    gcMsPerOp: Object.entries(measured.gcMsPerRequest).sort((a, b) => b[1] - a[1]),
  };
}

/** Busy share of the box (all cores, in percent) below which it counts as quiet: an idle system polls a little. */
const QUIET_PERCENT = 20;

/**
 * Waits (up to `timeoutSeconds`, 0 = never) for a quiet box before each measurement, and keeps
 * the busy share found just before each, which the report prints beside the numbers.
 */
export function createQuietGate(timeoutSeconds: number, log: (line: string) => void) {
  const busyBefore: Record<string, number> = {};
  const quiet = async (what: string) => {
    if (timeoutSeconds <= 0) return;
    busyBefore[what] = await waitForQuietBox({
      maxBusyPercent: QUIET_PERCENT,
      timeoutSeconds,
      onBusy: (percent) => log(`  box ${percent}% busy with other work; waiting before ${what}`),
    });
  };
  return { busyBefore, quiet };
}
