import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';

export interface RedisCommandCounter {
  /** Runs `work` and counts the commands it cost Redis, by lower-case name; scripts' own commands as `lua <name>`. */
  count<T>(work: () => Promise<T>): Promise<{ result: T; counts: Record<string, number> }>;
  close(): void;
}

/**
 * Counts every command Redis runs for `client` inside `work`, by name: those the client sends
 * (MONITOR names their source by the client's address) and those its scripts run (source `lua`,
 * recognised by the client's own key prefix, which nothing else uses; a script's commands
 * without a key, such as TIME, cannot be told apart from other clients' and are not counted).
 * Counted by Redis itself, never timed: what a change costs, not how fast a noisy box ran it.
 */
export async function redisCommandCounter(client: Redis, options: { url: string; keyPrefix: string }): Promise<RedisCommandCounter> {
  const address = /(?:^| )addr=(\S+)/.exec(String(await client.client('INFO')))?.[1];
  if (!address) throw new Error('no client address');
  const connection = new Redis(options.url, { lazyConnect: false });
  const monitor = await connection.monitor();
  connection.disconnect();
  const seen: string[] = [];
  const markers = new Map<string, () => void>();
  monitor.on('monitor', (_time: string, args: string[], source: string) => {
    const [command = '', ...rest] = args;
    if (command.toLowerCase() === 'echo' && markers.has(rest[0] ?? '')) markers.get(rest[0]!)!();
    else if (source === address) seen.push(command.toLowerCase());
    else if (source === 'lua' && rest.some((arg) => arg.startsWith(options.keyPrefix))) seen.push(`lua ${command.toLowerCase()}`);
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
    close: () => monitor.disconnect(),
  };
}
