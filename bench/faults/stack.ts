/**
 * The fault suite's own stack: PostgreSQL, Redis, Kafka and FerretDB from infra/stack/up.sh, on
 * ports and in a folder of their own (`.local/faults-stack`), so killing them never touches the
 * stack other people's tests run against on the default ports. Every kill goes through this
 * stack's own pid files, and each pid is checked against its command line (which names this
 * stack's folder or port) before any signal is sent.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, copyFileSync, lstatSync } from 'node:fs';
import path from 'node:path';

export const REPO = path.resolve(__dirname, '..', '..');

export interface StackPorts {
  postgres: number;
  redis: number;
  kafka: number;
  kafkaController: number;
  ferretdb: number;
}

export const FAULT_PORTS: StackPorts = { postgres: 15432, redis: 16379, kafka: 19092, kafkaController: 19093, ferretdb: 27018 };
/** What must never be touched: the stack everybody else's tests use. */
export const DEFAULT_PORTS: StackPorts = { postgres: 5432, redis: 6379, kafka: 9092, kafkaController: 9093, ferretdb: 27017 };

export type StackService = 'postgres' | 'redis' | 'kafka' | 'ferretdb';

export interface FaultStack {
  dir: string;
  ports: StackPorts;
  /** The variables every script of the stack is run with. */
  vars: Record<string, string>;
  /** The exact shell command that starts it, for the report. */
  upCommand: (only: readonly StackService[]) => string;
  /** The environment the isolated system and the audits need to use this stack. */
  clientEnv: Record<string, string>;
}

export function faultStack(dir = path.join(REPO, '.local', 'faults-stack'), ports: StackPorts = FAULT_PORTS): FaultStack {
  for (const [name, port] of Object.entries(ports)) {
    if (Object.values(DEFAULT_PORTS).includes(port)) throw new Error(`the fault stack's ${name} port ${port} is a default port; refusing`);
  }
  const vars = {
    STACK_DIR: dir,
    PGPORT: String(ports.postgres),
    REDIS_PORT: String(ports.redis),
    KAFKA_PORT: String(ports.kafka),
    KAFKA_CONTROLLER_PORT: String(ports.kafkaController),
    FERRETDB_PORT: String(ports.ferretdb),
    // With all four services up.sh would also start Prometheus on the shared :9090; this stack needs none.
    PROMETHEUS: '0',
  };
  const relative = path.relative(REPO, dir);
  return {
    dir,
    ports,
    vars,
    upCommand: (only) =>
      `${Object.entries(vars)
        .map(([k, v]) => `${k}=${k === 'STACK_DIR' ? relative : v}`)
        .join(' ')} bash infra/stack/up.sh --only ${only.join(',')}`,
    clientEnv: {
      PG_ADMIN_URL: `postgresql://ticketing:ticketing@127.0.0.1:${ports.postgres}/postgres`,
      REDIS_URL: `redis://127.0.0.1:${ports.redis}`,
      KAFKA_BROKERS: `127.0.0.1:${ports.kafka}`,
      EVENT_STORE_URL: `mongodb://127.0.0.1:${ports.ferretdb}/ticketing_events`,
      SKIP_STACK_UP: '1',
    },
  };
}

/**
 * The Kafka jars (Maven, ~47 MB) and the FerretDB binary (built from source with Go, ~90 s) are
 * the default stack's, shared by symlink: up.sh finds them with their version markers and builds
 * nothing. A jar or binary that is missing there is fetched or built by up.sh as usual.
 */
export function shareArtifacts(stack: FaultStack): string[] {
  const shared: string[] = [];
  const main = path.join(REPO, '.local');
  const link = (target: string, at: string) => {
    if (!existsSync(target)) return;
    mkdirSync(path.dirname(at), { recursive: true });
    let present = false;
    try {
      lstatSync(at);
      present = true;
    } catch {
      present = false;
    }
    if (!present) symlinkSync(path.relative(path.dirname(at), target), at);
    shared.push(`${path.relative(REPO, at)} → ${path.relative(REPO, target)}`);
  };
  link(path.join(main, 'kafka', 'lib'), path.join(stack.dir, 'kafka', 'lib'));
  link(path.join(main, 'bin', 'ferretdb'), path.join(stack.dir, 'bin', 'ferretdb'));
  const marker = path.join(main, 'bin', '.ferretdb-version');
  if (existsSync(marker) && !existsSync(path.join(stack.dir, 'bin', '.ferretdb-version'))) copyFileSync(marker, path.join(stack.dir, 'bin', '.ferretdb-version'));
  return shared;
}

function run(stack: FaultStack, script: string, only: readonly StackService[]): { ok: boolean; output: string } {
  const result = spawnSync('bash', [path.join(REPO, 'infra', 'stack', script), '--only', only.join(',')], {
    cwd: REPO,
    env: { ...process.env, ...stack.vars },
    encoding: 'utf8',
  });
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
}

export function stackUp(stack: FaultStack, only: readonly StackService[]): string {
  const result = run(stack, 'up.sh', only);
  if (!result.ok) throw new Error(`up.sh --only ${only.join(',')} failed:\n${result.output}`);
  return result.output;
}

/** up.sh without blocking this process: the load generator keeps sending while a service comes back. */
export function stackUpAsync(stack: FaultStack, only: readonly StackService[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [path.join(REPO, 'infra', 'stack', 'up.sh'), '--only', only.join(',')], {
      cwd: REPO,
      env: { ...process.env, ...stack.vars },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`up.sh --only ${only.join(',')} exited ${code}:\n${output}`))));
  });
}

export function stackDown(stack: FaultStack, only: readonly StackService[] = ['postgres', 'redis', 'kafka', 'ferretdb']): string {
  return run(stack, 'down.sh', only).output;
}

const PID_PATTERN: Record<'redis' | 'kafka' | 'ferretdb', (stack: FaultStack) => string> = {
  // redis-server shows its bind address and port as its command line.
  redis: (stack) => `:${stack.ports.redis}`,
  kafka: (stack) => path.join(stack.dir, 'kafka', 'config', 'server.properties'),
  ferretdb: (stack) => `127.0.0.1:${stack.ports.ferretdb}`,
};

/** The pid in this stack's pid file, only if that process's command line is this stack's. */
export function stackPid(stack: FaultStack, service: 'redis' | 'kafka' | 'ferretdb'): number {
  const file = path.join(stack.dir, 'run', `${service}.pid`);
  const pid = Number(readFileSync(file, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 1) throw new Error(`${file} holds no pid`);
  const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  const pattern = PID_PATTERN[service](stack);
  if (!cmdline.includes(pattern)) throw new Error(`pid ${pid} from ${file} is not this stack's ${service} (command line "${cmdline.trim()}" lacks "${pattern}"); refusing to signal it`);
  return pid;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** SIGKILL this stack's `service` by its pid file; resolves once the process is gone. */
export async function killStackProcess(stack: FaultStack, service: 'redis' | 'kafka' | 'ferretdb'): Promise<number> {
  const pid = stackPid(stack, service);
  process.kill(pid, 'SIGKILL');
  for (let i = 0; i < 200; i += 1) {
    try {
      process.kill(pid, 0);
    } catch {
      return pid;
    }
    await sleep(25);
  }
  throw new Error(`${service} (pid ${pid}) still alive 5 s after SIGKILL`);
}

/** `pg_ctl stop -m immediate` on this stack's data folder: no checkpoint, crash recovery on the next start. */
export function stopPostgresImmediately(stack: FaultStack): Promise<string> {
  const data = path.join(stack.dir, 'postgres', 'data');
  const pgCtl = '/usr/lib/postgresql/15/bin/pg_ctl';
  const args = ['-D', data, '-m', 'immediate', '-w', '-t', '30', 'stop'];
  const [command, argv] = process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', pgCtl, ...args]] : [pgCtl, args];
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(`pg_ctl -D ${path.relative(REPO, data)} -m immediate stop`) : reject(new Error(`pg_ctl -m immediate stop exited ${code}: ${output}`))));
  });
}

/** The fault stack's Kafka topics (name → partitions), from a metadata request to that broker only. */
export function stackTopics(stack: FaultStack): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn('kcat', ['-b', `127.0.0.1:${stack.ports.kafka}`, '-L', '-m', '10'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', () => resolve([...output.matchAll(/topic "([^"]+)" with/g)].map((m) => m[1]!)));
  });
}

/** Every message of one topic of the fault stack: partition, offset, key, headers (k=v,…), value. */
export function readTopic(stack: FaultStack, topic: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn('kcat', ['-b', `127.0.0.1:${stack.ports.kafka}`, '-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-m', '20', '-f', '%p\\t%o\\t%k\\t%h\\t%s\\n'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', () => resolve(output.split('\n').filter(Boolean)));
  });
}

/** The default stack still answers (run after the suite: nothing here may have touched it). */
export function defaultStackAnswers(): Array<{ what: string; ok: boolean; answer: string }> {
  const check = (what: string, command: string, args: string[], ok: (out: string) => boolean) => {
    const result = spawnSync(command, args, { encoding: 'utf8', timeout: 10_000 });
    const answer = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
    return { what: `${what}: ${command} ${args.join(' ')}`, ok: result.status === 0 && ok(answer), answer };
  };
  return [
    check('redis', 'redis-cli', ['-p', String(DEFAULT_PORTS.redis), 'ping'], (out) => out === 'PONG'),
    check('postgres', 'pg_isready', ['-h', '127.0.0.1', '-p', String(DEFAULT_PORTS.postgres)], (out) => out.includes('accepting connections')),
    // A bare TCP connect: a metadata request naming a topic could auto-create it on that shared broker.
    check('kafka', 'bash', ['-c', `exec 3<>/dev/tcp/127.0.0.1/${DEFAULT_PORTS.kafka} && echo open`], (out) => out === 'open'),
  ];
}
