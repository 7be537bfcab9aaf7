import { randomUUID } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import type { Redis } from 'ioredis';

export interface RedisCommandCounter {
  /** Runs `work` and counts the commands it cost Redis, by lower-case name; scripts' own commands as `lua <name>`. */
  count<T>(work: () => Promise<T>): Promise<{ result: T; counts: Record<string, number> }>;
  close(): void;
}

/**
 * Counts every command Redis runs for `client` inside `work`, by name: those the client sends
 * (MONITOR names their source by the client's address) and those its scripts run (source `lua`).
 * A script runs atomically, so MONITOR lists its commands right after the call that ran it: a
 * `lua` line after the client's own EVAL/EVALSHA/FCALL is the client's, keyed or not (TIME). A
 * `lua` line naming the client's key prefix, which nothing else uses, is counted too (a script run
 * by another client of the same prefix, such as a service under test).
 * Counted by Redis itself, never timed: what a change costs, not how fast a noisy box ran it.
 */
const SCRIPT_CALLS = new Set(['eval', 'evalsha', 'eval_ro', 'evalsha_ro', 'fcall', 'fcall_ro']);

export async function redisCommandCounter(client: Redis, options: { url: string; keyPrefix: string }): Promise<RedisCommandCounter> {
  const address = /(?:^| )addr=(\S+)/.exec(String(await client.client('INFO')))?.[1];
  if (!address) throw new Error('no client address');
  const seen: string[] = [];
  const markers = new Map<string, () => void>();
  let inOwnScript = false;
  const monitor = await monitorRedis(options.url, ({ args, source }) => {
    const [command = '', ...rest] = args;
    const name = command.toLowerCase();
    if (source === 'lua') {
      if (inOwnScript || rest.some((arg) => arg.startsWith(options.keyPrefix))) seen.push(`lua ${name}`);
      return;
    }
    inOwnScript = source === address && SCRIPT_CALLS.has(name);
    if (name === 'echo' && markers.has(rest[0] ?? '')) markers.get(rest[0]!)!();
    else if (source === address) seen.push(name);
  });
  // MONITOR streams in execution order: once a marker comes back, everything before it has too.
  const mark = async () => {
    const marker = randomUUID();
    const echoed = new Promise<void>((resolve) => markers.set(marker, resolve));
    await client.echo(marker);
    await echoed;
    markers.delete(marker);
  };
  await mark();
  return {
    async count(work) {
      await mark();
      seen.length = 0;
      const result = await work();
      await mark();
      const counts: Record<string, number> = {};
      for (const command of seen) counts[command] = (counts[command] ?? 0) + 1;
      return { result, counts };
    },
    close: () => monitor.destroy(),
  };
}

/** One MONITOR line: `<time> [<db> <source>] "<command>" "<arg>" ...`, arguments unescaped. */
interface MonitoredCommand {
  source: string;
  args: string[];
}

const MONITOR_LINE = /^\+\d+\.\d+ \[\d+ ([^\]]+)\] (.*)$/;

function unescapeArgument(quoted: string): string {
  return quoted.replace(/\\(x[0-9a-f]{2}|.)/g, (_match, escaped: string) => {
    if (escaped.startsWith('x') && escaped.length === 3) return String.fromCharCode(parseInt(escaped.slice(1), 16));
    return { n: '\n', r: '\r', t: '\t', a: '\x07', b: '\b' }[escaped] ?? escaped;
  });
}

/**
 * MONITOR on a socket of its own, read line by line. Not ioredis' `monitor()`: it switches the
 * connection to monitoring mode only after MONITOR's reply has been handled, so on a busy Redis the
 * first commands streamed in the same packet as that reply meet an empty command queue and throw
 * "Command queue state error" (redis/ioredis#1981; a full CI run hit it).
 */
async function monitorRedis(url: string, onCommand: (command: MonitoredCommand) => void): Promise<Socket> {
  const { hostname, port, password, username } = new URL(url);
  const socket = connect(Number(port || 6379), hostname || '127.0.0.1');
  socket.setEncoding('utf8');
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  if (password) socket.write(`AUTH ${username ? `${decodeURIComponent(username)} ` : ''}${decodeURIComponent(password)}\r\n`);
  socket.write('MONITOR\r\n');
  let buffered = '';
  let monitoring: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (monitoring = resolve));
  socket.on('data', (chunk: string) => {
    buffered += chunk;
    let end = buffered.indexOf('\r\n');
    while (end >= 0) {
      const line = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      end = buffered.indexOf('\r\n');
      if (line === '+OK') {
        monitoring();
        continue;
      }
      const parsed = MONITOR_LINE.exec(line);
      if (!parsed) continue;
      const args = [...parsed[2]!.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((match) => unescapeArgument(match[1]!));
      onCommand({ source: parsed[1]!, args });
    }
  });
  socket.on('error', () => undefined);
  await started;
  return socket;
}
