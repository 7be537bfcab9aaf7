/** The idle section of BENCHMARKS.md: what a system with nothing to do spends, process by process. */
import { machineLine } from '../lib/report';

/** Issue 10: the whole application idle under 3% of one core. */
export const TARGET_PERCENT_OF_ONE_CORE = 3;

/** One measuring window. */
export interface IdleWindow {
  label: string;
  seconds: number;
  /** Each service process, % of one core over the window. */
  services: Array<{ name: string; percent: number }>;
  servicesTotal: number;
  /** Stack processes (PostgreSQL by database, Redis, Kafka, FerretDB): shared with anything else on the box. */
  stack: Array<{ name: string; percent: number }>;
  /** PostgreSQL backends serving this run's own databases. */
  ownDatabasesTotal: number;
  /** Everything on the machine, from /proc/stat, in % of one core. */
  boxPercentOfOneCore: number;
  transactionsPerSecond: Array<{ database: string; perSecond: number }>;
}

export interface IdleResult {
  settleSeconds: number;
  steadyAfterSeconds: number;
  /** How often the bench read every /metrics (0: never). */
  scrapeSeconds: number;
  monitorSeconds: number;
  justStarted: IdleWindow;
  steady: IdleWindow;
  redisPerSecond: Array<{ service: string; perSecond: number; commands: string }>;
}

const applicationTotal = (w: IdleWindow) => Math.round((w.servicesTotal + w.ownDatabasesTotal) * 100) / 100;

export function idleSection(r: IdleResult): string {
  const { justStarted, steady } = r;
  const redis = new Map(r.redisPerSecond.map((row) => [row.service, row]));
  const earlier = new Map(justStarted.services.map((s) => [s.name, s.percent]));
  const rows = steady.services.map((s) => {
    const commands = redis.get(s.name);
    return `| ${s.name} | ${earlier.get(s.name) ?? '–'}% | ${s.percent}% | ${commands ? `${commands.perSecond}${commands.commands ? ` (${commands.commands})` : ''}` : '–'} |`;
  });
  const application = applicationTotal(steady);
  const sharedStack = (w: IdleWindow) => w.stack.map((s) => `${s.name} ${s.percent}%`).join(', ') || 'none';
  const commits = (w: IdleWindow) => w.transactionsPerSecond.map((t) => `${t.database} ${t.perSecond}`).join(', ');
  return `## Idle: a system with nothing to do (issue 10)

\`npm run bench:idle\` — ${machineLine()}. Every service of an isolated system (the same processes \`npm start\` runs,
compiled JavaScript, default timings), left alone and measured from /proc in two windows of ${steady.seconds} s: ${r.settleSeconds} s after
it is ready (just started) and ${r.steadyAfterSeconds} s after (steady; the target is judged here). ${r.scrapeSeconds > 0 ? `Throughout, the bench reads every
service's /metrics every ${r.scrapeSeconds} s, as \`npm start\`'s Prometheus does.` : 'Nothing reads /metrics in this run.'} Redis commands by MONITOR for ${r.monitorSeconds} s
after the steady window, attributed by client port.

| process | CPU, just started | CPU, steady | Redis commands/s |
|---|---|---|---|
${rows.join('\n')}
| **services total** | ${justStarted.servicesTotal}% | **${steady.servicesTotal}%** | |
| this run's PostgreSQL backends | ${justStarted.ownDatabasesTotal}% | ${steady.ownDatabasesTotal}% | |
| **application total** (services + own backends) | ${applicationTotal(justStarted)}% | **${application}%** | target < ${TARGET_PERCENT_OF_ONE_CORE}% (steady): ${application < TARGET_PERCENT_OF_ONE_CORE ? 'met' : '**not met**'} |

SQL transactions committed per second, by the run's database (steady): ${commits(steady)}.

Shared stack processes (anything else on the box using them is counted too): just started ${sharedStack(justStarted)}; steady ${sharedStack(steady)}.
The whole box was ${justStarted.boxPercentOfOneCore}% and ${steady.boxPercentOfOneCore}% of one core busy in the two windows.`;
}
