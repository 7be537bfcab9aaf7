import { readFileSync, writeFileSync } from 'node:fs';
import WebSocket from 'ws';

/**
 * What a process needs in its environment so `profilePhase` can attach later: SIGUSR1 then opens
 * the inspector on a free port (node's default, 9229, would collide between the system's processes).
 */
export const INSPECTABLE_ENV = { NODE_OPTIONS: `${process.env['NODE_OPTIONS'] ?? ''} --inspect-port=0`.trim() };

/** Opens (once) the inspector of a running process and answers its DevTools WebSocket URL, read from its log. */
async function inspectorUrl(pid: number, logFile: string): Promise<string> {
  const find = () => [...readFileSync(logFile, 'utf8').matchAll(/Debugger listening on (ws:\/\/\S+)/g)].pop()?.[1];
  if (!find()) process.kill(pid, 'SIGUSR1');
  for (let i = 0; i < 50; i += 1) {
    const url = find();
    if (url) return url;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`process ${pid} opened no inspector (is NODE_OPTIONS=--inspect-port=0 set?); see ${logFile}`);
}

/** A minimal Chrome DevTools Protocol session: one request at a time is all the profiler needs. */
async function devtools(url: string) {
  const socket = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  let nextId = 1;
  const pending = new Map<number, (message: { result?: unknown; error?: unknown }) => void>();
  socket.on('message', (raw: Buffer) => {
    const message = JSON.parse(raw.toString('utf8')) as { id?: number; result?: unknown; error?: unknown };
    if (message.id !== undefined) pending.get(message.id)?.(message);
  });
  return {
    send(method: string, params: Record<string, unknown> = {}): Promise<unknown> {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, (message) => {
          pending.delete(id);
          if (message.error) reject(new Error(`${method}: ${JSON.stringify(message.error)}`));
          else resolve(message.result);
        });
        socket.send(JSON.stringify({ id, method, params }));
      });
    },
    close: () => socket.close(),
  };
}

/**
 * CPU profiles of one phase only, per process: attaches to each running process's inspector,
 * samples while `phase` runs, and writes `<dir>/<name>.<label>.cpuprofile` (the `--cpu-prof`
 * format, so profile.ts reads it). Unlike `--cpu-prof`, setup work stays out of the picture.
 */
export async function profilePhase<T>(
  processes: Array<{ name: string; pid: number; logFile: string }>,
  dir: string,
  label: string,
  phase: () => Promise<T>,
): Promise<{ result: T; files: Record<string, string> }> {
  const sessions = await Promise.all(
    processes.map(async (target) => ({ target, session: await devtools(await inspectorUrl(target.pid, target.logFile)) })),
  );
  await Promise.all(
    sessions.map(async ({ session }) => {
      await session.send('Profiler.enable');
      await session.send('Profiler.setSamplingInterval', { interval: 1000 }); // µs, as --cpu-prof
      await session.send('Profiler.start');
    }),
  );
  const result = await phase();
  const files: Record<string, string> = {};
  await Promise.all(
    sessions.map(async ({ target, session }) => {
      const { profile } = (await session.send('Profiler.stop')) as { profile: unknown };
      const file = `${dir}/${target.name}.${label}.cpuprofile`;
      writeFileSync(file, JSON.stringify(profile));
      files[target.name] = file;
      session.close();
    }),
  );
  return { result, files };
}
