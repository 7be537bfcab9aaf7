/**
 * CPU time straight from /proc (Linux only): the whole box, and one process by pid. Numbers from
 * the kernel's own accounting, so a measurement adds nothing to what it measures.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** USER_HZ: 100 on every Linux architecture this runs on. */
export const TICKS_PER_SECOND = 100;

/** Busy and total CPU time of the whole box so far (/proc/stat, in ticks, all cores). */
export function boxTicks(): { busy: number; total: number } {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0); // idle + iowait
    const total = fields.reduce((sum, x) => sum + x, 0);
    return { busy: total - idle, total };
  } catch {
    return { busy: Number.NaN, total: Number.NaN };
  }
}

/** User + system ticks one process has used so far (its own threads, not its children); NaN once it is gone. */
export function processTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // After the command: state is field 3, so utime/stime (14-15) sit at 11-12.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return Number.NaN;
  }
}

/**
 * Which of `pids` owns each local TCP port connected to `remotePort` on this host (from `ss -tnp`),
 * so a server's per-client view (Redis CLIENT LIST, MONITOR) can be read per process. Only
 * processes this user may inspect show up, which includes the children we started.
 */
export function localPortsByPid(remotePort: number, pids: readonly number[]): Map<number, number> {
  const owners = new Map<number, number>();
  let out: string;
  try {
    out = execFileSync('ss', ['-tnpH', 'state', 'established', 'dst', `127.0.0.1:${remotePort}`], { encoding: 'utf8' });
  } catch {
    return owners;
  }
  const wanted = new Set(pids);
  for (const line of out.split('\n')) {
    const local = /\s(?:127\.0\.0\.1|\[::ffff:127\.0\.0\.1\]):(\d+)\s/.exec(line);
    const pid = /pid=(\d+)/.exec(line);
    if (local && pid && wanted.has(Number(pid[1]))) owners.set(Number(local[1]), Number(pid[1]));
  }
  return owners;
}
