import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../../infra/services';

const FILE = path.join(ROOT, 'BENCHMARKS.md');

export function machineLine(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return `${os.cpus().length} cores (${cpu}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.type()} ${os.release()}`;
}

/** Replaces (or appends) one scenario's section of BENCHMARKS.md, leaving the others as they are. */
export function writeSection(id: string, markdown: string): void {
  const start = `<!-- bench:${id}:start -->`;
  const end = `<!-- bench:${id}:end -->`;
  const block = `${start}\n${markdown.trim()}\n${end}`;
  let content = existsSync(FILE)
    ? readFileSync(FILE, 'utf8')
    : '# Benchmarks\n\nEvery number here was measured by the command shown beside it, on the machine named there. Re-run the command to reproduce; the script rewrites its own section.\n';
  const from = content.indexOf(start);
  const to = content.indexOf(end);
  content = from >= 0 && to > from ? content.slice(0, from) + block + content.slice(to + end.length) : `${content.trimEnd()}\n\n${block}\n`;
  writeFileSync(FILE, content);
}
