/**
 * History benchmark (issue 9): how fast the archiver stores a Kafka backlog, and how fast every
 * projection replays, beside the raw `insertMany` ceiling of the same store in the same run.
 *
 *   npm run bench:history                               # defaults in config.ts
 *   BENCH_HISTORY_EVENTS=5000 npm run bench:history      # a quick one
 *   BENCH_PROFILE=1 npm run bench:history                # the same with CPU profiles (its own section)
 *
 * Its own isolated system with only the history process (store database, topics, Redis prefix).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { startIsolatedSystem, stopIsolatedSystem } from '@ticketing/test-support';
import { ROOT } from '../../infra/services';
import { loadToolsEnv } from '../../scripts/history';
import { INSPECTABLE_ENV, profilePhase } from '../lib/inspector-profile';
import { machineLine, writeSection } from '../lib/report';
import { createQuietGate } from '../onsale/costs';
import { archiveBacklog, archiveLive } from './archive';
import { loadConfig, log } from './config';
import { formatSplit, measureCpu } from './cpu-split';
import { insertCeiling } from './insert-ceiling';
import { replayEach } from './replay';
import { historySection } from './report';
import { onsaleEvents } from './saga-events';

async function main() {
  const config = loadConfig();
  log(`machine: ${machineLine()}`);
  const profileDir = path.join(ROOT, '.run', 'bench-profiles', `history-${Date.now()}`);
  if (config.profile) mkdirSync(profileDir, { recursive: true });
  const system = await startIsolatedSystem({
    label: 'bench-history',
    services: ['history'],
    env: { LOG_LEVEL: 'warn', ...(config.profile ? INSPECTABLE_ENV : {}) },
  });
  try {
    const tools = loadToolsEnv({ ...process.env, ...system.env });
    /** Busy share of the box just before each measurement, as found after waiting for quiet. */
    const { busyBefore, quiet } = createQuietGate(config.quietWaitSeconds, log);
    const profiles: Record<string, string> = {};

    const story = () => onsaleEvents({ events: config.events, shortFraction: config.shortFraction, schedules: config.schedules, start: new Date() });
    const live = story();
    await quiet('the archive');
    log(`archive: a backlog of ${live.length} events on Kafka, drained by the history process`);
    const archive = await archiveBacklog({
      system,
      envelopes: live,
      log,
      ...(config.profile && {
        around: async <T>(work: () => Promise<T>) => {
          const i = system.services.indexOf('history');
          const target = { name: 'history', pid: system.processes[i]!.pid!, logFile: path.join(system.logDir, 'history.log') };
          const { result, files } = await profilePhase([target], profileDir, 'archive', work);
          profiles['archive: history process'] = files['history']!;
          return result;
        },
      }),
    });
    const a = archive.result;
    log(`  ${a.events} events archived in ${a.seconds} s = ${a.perSecond} events/s (${a.storedBeforeReady} before the process answered ready); CPU µs per event: ${formatSplit(archive)}`);

    // The on-sale's regime: events trickling in while the projections run live, on top of the first backlog.
    let live2: Awaited<ReturnType<typeof archiveLive>> | undefined;
    if (config.liveEvents > 0) {
      const trickle = onsaleEvents({ events: config.liveEvents, shortFraction: config.shortFraction, schedules: config.schedules, start: new Date() });
      await quiet('the live archive');
      log(`live: ${trickle.length} events at ${config.liveRate}/s while the projections run`);
      live2 = await archiveLive({ system, envelopes: trickle, rate: config.liveRate, log });
      log(`  ${live2.result.events} events in ${live2.result.seconds} s; CPU µs per event: ${formatSplit(live2)}`);
      live.push(...trickle);
    }

    // The same again with no projection running in the process, on top of the first backlog: what
    // the archiver alone costs, and so what the projections' reads cost it.
    system.env['PROJECTIONS'] = 'none';
    const idle = story();
    await quiet('the archive without projections');
    log(`archive: another ${idle.length} events, the live projections idle`);
    const archiveAlone = await archiveBacklog({ system, envelopes: idle, log });
    const b = archiveAlone.result;
    log(`  ${b.events} events archived in ${b.seconds} s = ${b.perSecond} events/s; CPU µs per event: ${formatSplit(archiveAlone)}`);
    const envelopes = [...live, ...idle];

    // A replay takes the projection's lease, which the live runner holds: stop the process, keep the data.
    await stopIsolatedSystem({ ...system, keepData: true });
    await new Promise((resolve) => setTimeout(resolve, tools.PROJECTION_MAX_GAP_WAIT_MS + 500));
    await quiet('the replays');
    log('replay: every projection of createProjections, one after the other');
    const replays = await replayEach({ env: system.env, log, ...(config.profile && { profileDir }) });
    for (const replay of replays) {
      const r = replay.result;
      log(`  ${r.projection}: ${r.applied} events in ${r.seconds} s = ${r.perSecond} events/s; CPU µs per event: ${formatSplit(replay)}`);
      if (r.profile) profiles[`replay ${r.projection}: bench process`] = r.profile;
    }

    await quiet('the insert ceilings');
    const ceiling = (withStoreIndexes: boolean) =>
      measureCpu({
        self: 'insertMany (bench process)',
        events: () => envelopes.length,
        phase: () => insertCeiling({ url: tools.EVENT_STORE_URL, envelopes, batchSize: tools.PROJECTION_BATCH_SIZE, withStoreIndexes }),
      });
    const bare = await ceiling(false);
    log(`ceiling: raw insertMany, ${bare.result.batchSize} per call: ${bare.result.perSecond} events/s; CPU µs per event: ${formatSplit(bare)}`);
    const indexed = await ceiling(true);
    log(`ceiling: the same with ${indexed.result.indexes.join(', ')}: ${indexed.result.perSecond} events/s; CPU µs per event: ${formatSplit(indexed)}`);

    const section = historySection({ config, batchSize: tools.PROJECTION_BATCH_SIZE, busyBefore, archive, live: live2, archiveAlone, replays, bare, indexed, ...(config.profile && { profiles }) });
    writeSection(config.profile ? 'history-profile' : 'history', section);
    log(`wrote BENCHMARKS.md${config.profile ? ` (profiles in ${profileDir})` : ''}`);
  } finally {
    await stopIsolatedSystem({ ...system, keepData: false });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
