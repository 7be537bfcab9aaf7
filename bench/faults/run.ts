/**
 * Fault suite (issue 13): during a running on-sale, one fault at a time — SIGKILL of booking,
 * payment, concert, queue, history and the gateway, a Kafka broker SIGKILL, a Redis SIGKILL
 * (back from its append-only file), a PostgreSQL immediate stop — each followed by its restart,
 * then recovery time, the on-sale audit, bookings, waiting-room places, the event store and dead
 * letters. Writes the Faults section of BENCHMARKS.md.
 *
 *   npm run bench:faults
 *   FAULTS_ONLY=none,redis npm run bench:faults       # some rounds only (a partial run writes its own rows only)
 *
 * It runs on a stack of its own (.local/faults-stack, ports 15432/16379/19092/19093/27018), never
 * the default one, and stops that stack at the end. This file sets the environment before
 * anything reads it (infra/services.ts reads PG_ADMIN_URL when it is loaded), so the rest comes
 * in by dynamic import.
 */
import os from 'node:os';
import { loadConfig, log } from './config';
import { defaultStackAnswers, faultStack, shareArtifacts, stackDown, stackUp, type StackService } from './stack';

const ALL: StackService[] = ['postgres', 'redis', 'kafka', 'ferretdb'];

async function main() {
  const config = loadConfig();
  const started = new Date().toISOString();
  const loadAtStart = os.loadavg()[0]!;
  const stack = faultStack();
  const shared = shareArtifacts(stack);
  const stackCommand = stack.upCommand(ALL);
  log(`command: ${config.command}`);
  log(`fault stack: ${stackCommand}${shared.length ? ` (shared: ${shared.join('; ')})` : ''}`);
  const upStarted = performance.now();
  const upOutput = stackUp(stack, ALL);
  log(`fault stack up in ${Math.round(performance.now() - upStarted) / 1000} s:\n${upOutput.trimEnd().split('\n').filter((l) => /^\[stack\] (postgres|redis|kafka|ferretdb) /.test(l)).join('\n')}`);
  Object.assign(process.env, stack.clientEnv);

  const exitCode = { value: 0 };
  try {
    const { runRound } = await import('./round.js');
    const { faultsSection, tableOf, verdictOf } = await import('./report.js');
    const { writeSection } = await import('../lib/report.js');
    const rounds = [];
    for (const fault of config.faults) {
      try {
        rounds.push(await runRound(config, stack, fault));
      } catch (error) {
        log(`round "${fault}" could not run: ${(error as Error).stack ?? String(error)}`);
        exitCode.value = 1;
      }
    }
    if (rounds.some((round) => !/^(recovered, clean|clean \(reference\))$/.test(verdictOf(round)))) exitCode.value = 1;
    if (rounds.length > 0) {
      writeSection('faults', faultsSection(config, rounds, { started, loadAtStart, stackCommand, shared }));
      log(`results (also in BENCHMARKS.md, section "Faults"):\n${tableOf(rounds)}`);
    }
  } finally {
    log(`stopping the fault stack: ${stack.upCommand(ALL).replace('up.sh', 'down.sh')}`);
    log(stackDown(stack).trimEnd());
    const answers = defaultStackAnswers();
    for (const a of answers) log(`default stack untouched? ${a.what} → ${a.ok ? 'ok' : 'NOT OK'} (${a.answer.split('\n')[0]})`);
  }
  process.exitCode = exitCode.value;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
