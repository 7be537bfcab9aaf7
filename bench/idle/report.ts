/** The idle section of BENCHMARKS.md: what a system with nothing to do spends, process by process. */
import { machineLine } from '../lib/report';

/** Issue 10: the whole application idle under 3% of one core. */
export const TARGET_PERCENT_OF_ONE_CORE = 3;

export interface IdleResult {
  seconds: number;
  settleSeconds: number;
  monitorSeconds: number;
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
  redisPerSecond: Array<{ service: string; perSecond: number; commands: string }>;
}

export function idleSection(r: IdleResult): string {
  const application = Math.round((r.servicesTotal + r.ownDatabasesTotal) * 100) / 100;
  const redis = new Map(r.redisPerSecond.map((row) => [row.service, row]));
  const rows = r.services.map((s) => {
    const commands = redis.get(s.name);
    return `| ${s.name} | ${s.percent}% | ${commands ? `${commands.perSecond}${commands.commands ? ` (${commands.commands})` : ''}` : '–'} |`;
  });
  return `## Idle: a system with nothing to do (issue 10)

\`npm run bench:idle\` — ${machineLine()}. Every service of an isolated system (the same processes \`npm start\` runs,
compiled JavaScript, default timings), left alone ${r.settleSeconds} s after it is ready, then measured for ${r.seconds} s
from /proc; Redis commands by MONITOR for ${r.monitorSeconds} s afterwards, attributed by client port.

| process | CPU, % of one core | Redis commands/s |
|---|---|---|
${rows.join('\n')}
| **services total** | **${r.servicesTotal}%** | |
| this run's PostgreSQL backends | ${r.ownDatabasesTotal}% | |
| **application total** (services + own backends) | **${application}%** | target < ${TARGET_PERCENT_OF_ONE_CORE}%: ${application < TARGET_PERCENT_OF_ONE_CORE ? 'met' : '**not met**'} |

SQL transactions committed per second, by the run's database: ${r.transactionsPerSecond.map((t) => `${t.database} ${t.perSecond}`).join(', ')}.

Shared stack processes over the same window (anything else on the box using them is counted too): ${r.stack.map((s) => `${s.name} ${s.percent}%`).join(', ') || 'none'}.
The whole box was ${r.boxPercentOfOneCore}% of one core busy.`;
}
