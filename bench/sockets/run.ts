/**
 * Idle WebSockets (issue 10): how many graphql-ws connections one gateway process holds, and what
 * each costs it. Fans on the worst day keep a socket open for the whole wait; a gateway's memory
 * per socket and its CPU per socket opened set how many gateways a stadium needs.
 *
 *   npm run bench:sockets
 *   SOCKETS=10000 SOCKETS_OPEN_CONCURRENCY=200 SOCKETS_IDLE_SECONDS=30 npm run bench:sockets
 *
 * Every socket does the whole graphql-ws handshake (connection_init with the fan's token, the
 * gateway checks it, connection_ack), as the web client does, then stays idle. Memory is the
 * gateway's resident set (/proc/<pid>/status VmRSS) and V8 heap (its own /metrics), CPU its
 * /proc/<pid>/stat ticks; the load generator's own memory is reported beside it.
 */
import { readFileSync } from 'node:fs';
import WebSocket from 'ws';
import { z } from 'zod';
import { mapLimit, signUpFan, startIsolatedSystem, stopIsolatedSystem, useTestSystem } from '@ticketing/test-support';
import { processTicks, TICKS_PER_SECOND } from '../lib/proc-stat';
import { machineLine, writeSection } from '../lib/report';

const config = z
  .object({
    SOCKETS: z.coerce.number().int().min(1).max(15_000).default(10_000),
    SOCKETS_OPEN_CONCURRENCY: z.coerce.number().int().min(1).default(200),
    /** How long the sockets are left alone while the gateway's CPU is watched. */
    SOCKETS_IDLE_SECONDS: z.coerce.number().int().min(5).default(30),
  })
  .parse(process.env);
const command = `SOCKETS=${config.SOCKETS} SOCKETS_OPEN_CONCURRENCY=${config.SOCKETS_OPEN_CONCURRENCY} SOCKETS_IDLE_SECONDS=${config.SOCKETS_IDLE_SECONDS} npm run bench:sockets`;

const log = (line: string) => console.log(`[bench:sockets] ${line}`);
const sleep = (seconds: number) => new Promise((resolve) => setTimeout(resolve, seconds * 1000));
const mib = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
const kib = (bytes: number) => Math.round((bytes / 1024) * 10) / 10;

/** Resident memory of a process, bytes. */
function rssOf(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Number(/(\d+)/.exec(line ?? '')?.[1] ?? 0) * 1024;
}

/** One gauge of a process's Prometheus text. */
async function gauge(metricsUrl: string, name: string): Promise<number> {
  const text = await (await fetch(metricsUrl)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return Number(line?.slice(line.lastIndexOf(' ') + 1) ?? NaN);
}

/** A graphql-ws socket through its handshake: resolves once the gateway acknowledged it. */
function openSocket(url: string, token: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, 'graphql-transport-ws');
    const fail = (error: Error) => {
      socket.terminate();
      reject(error);
    };
    socket.once('error', fail);
    socket.once('close', (code, reason) => fail(new Error(`closed ${code} ${reason.toString()}`)));
    socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })));
    socket.on('message', (data: WebSocket.RawData) => {
      const message = JSON.parse(data.toString()) as { type: string };
      if (message.type === 'ping') socket.send(JSON.stringify({ type: 'pong' }));
      if (message.type !== 'connection_ack') return;
      socket.removeAllListeners('error');
      socket.removeAllListeners('close');
      socket.on('error', () => undefined);
      resolve(socket);
    });
  });
}

interface Snapshot {
  rss: number;
  heapUsed: number;
  connections: number;
}

async function main() {
  log(`starting an isolated system; ${config.SOCKETS} sockets, ${config.SOCKETS_OPEN_CONCURRENCY} opening at a time, ${config.SOCKETS_IDLE_SECONDS} s idle`);
  const system = await startIsolatedSystem({ label: 'sockets', env: { LOG_LEVEL: 'warn' } });
  useTestSystem(system);
  try {
    const gateway = system.instances.find((instance) => instance.service.name === 'gateway')!;
    const pid = system.processes[system.services.indexOf(gateway.name)]!.pid!;
    const metricsUrl = `http://127.0.0.1:${gateway.metricsPort}/metrics`;
    const url = system.gatewayUrl.replace(/^http/, 'ws');
    const snapshot = async (): Promise<Snapshot> => ({
      rss: rssOf(pid),
      heapUsed: await gauge(metricsUrl, 'nodejs_heap_size_used_bytes'),
      connections: await gauge(metricsUrl, 'graphql_ws_connections'),
    });
    const fan = await signUpFan();
    // One socket first, so the gateway's lazy start-up work (schema, clients) is not billed to the rest.
    (await openSocket(url, fan.token)).close();
    await sleep(5);
    const before = await snapshot();
    const clientBefore = process.memoryUsage().rss;

    log(`opening ${config.SOCKETS} sockets`);
    const ticksBefore = processTicks(pid);
    const started = performance.now();
    const sockets = await mapLimit(Array.from({ length: config.SOCKETS }), config.SOCKETS_OPEN_CONCURRENCY, () => openSocket(url, fan.token));
    const openSeconds = (performance.now() - started) / 1000;
    const openCpuMs = ((processTicks(pid) - ticksBefore) * 1000) / TICKS_PER_SECOND;
    log(`  ${sockets.length} acknowledged in ${openSeconds.toFixed(1)} s; gateway CPU ${openCpuMs} ms`);

    await sleep(5);
    const idleTicks = processTicks(pid);
    await sleep(config.SOCKETS_IDLE_SECONDS);
    const idlePercent = ((processTicks(pid) - idleTicks) * 100) / TICKS_PER_SECOND / config.SOCKETS_IDLE_SECONDS;
    const held = await snapshot();
    const clientHeld = process.memoryUsage().rss;
    log(`  held: gateway RSS ${mib(held.rss)} MiB (was ${mib(before.rss)}), heap ${mib(held.heapUsed)} MiB (was ${mib(before.heapUsed)}), graphql_ws_connections ${held.connections}; idle CPU ${idlePercent.toFixed(2)}% of a core`);

    for (const socket of sockets) socket.close();
    await sleep(5);
    const after = await snapshot();
    log(`  closed: gateway RSS ${mib(after.rss)} MiB, heap ${mib(after.heapUsed)} MiB, graphql_ws_connections ${after.connections}`);

    const n = sockets.length;
    writeSection(
      'sockets',
      `## Idle WebSockets on one gateway process (issue 10)

Command: \`${command}\` — measured ${new Date().toISOString()} on ${machineLine()}. One gateway process of an isolated
system; every socket does the graphql-ws handshake with a fan's token (the gateway verifies it and counts the socket against the
per-user and per-address limits in Redis, raised for the run), then stays open with no subscription. The box is shared: CPU is the
gateway's own, from /proc; memory is its resident set and V8 heap.

| measure | value |
|---|---|
| sockets held by one gateway process | **${held.connections}** acknowledged (${n} opened, ${config.SOCKETS_OPEN_CONCURRENCY} at a time, in ${openSeconds.toFixed(1)} s) |
| gateway memory per socket | **${kib((held.rss - before.rss) / n)} KiB** resident (RSS ${mib(before.rss)} → ${mib(held.rss)} MiB), ${kib((held.heapUsed - before.heapUsed) / n)} KiB of V8 heap (${mib(before.heapUsed)} → ${mib(held.heapUsed)} MiB) |
| gateway CPU per socket opened (handshake, token check, limits) | ${Math.round((openCpuMs / n) * 1000) / 1000} ms |
| gateway CPU while ${n} sockets sit idle | ${idlePercent.toFixed(2)}% of one core over ${config.SOCKETS_IDLE_SECONDS} s |
| after closing them all (5 s later) | RSS ${mib(after.rss)} MiB, heap ${mib(after.heapUsed)} MiB, ${after.connections} sockets counted |
| the load generator holding the client ends | ${kib((clientHeld - clientBefore) / n)} KiB per socket |

Memory per socket is the difference between the gateway holding none and holding all of them, divided by their number: it
includes the sockets' buffers, graphql-ws's per-connection state and what Node's allocator keeps; RSS does not shrink at once
after they close (V8 and the allocator keep freed pages).
`,
    );
    log('wrote BENCHMARKS.md');
  } finally {
    await stopIsolatedSystem({ ...system, keepData: false });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
