/**
 * `generate`: one Prisma client per subgraph database (offline Prisma 6.19 recipe).
 * `migrate`: applies each database's committed migrations (`prisma migrate deploy`), in parallel.
 * The databases are the service registry's (packages/contracts/src/services.ts); their URLs come
 * from the usual variables (USER_DATABASE_URL, ...).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { DATABASES } from '@ticketing/contracts';
import { ROOT } from '../infra/services';

const prismaBin = path.join(ROOT, 'node_modules', '.bin', 'prisma');

export function runPrisma(args: string[], database: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(prismaBin, [...args, '--config', `prisma/${database}/prisma.config.ts`], {
      cwd: ROOT,
      env: { ...env, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`prisma ${args.join(' ')} (${database}) failed:\n${output}`)),
    );
  });
}

async function main() {
  const command = process.argv[2];
  const only = process.argv[3];
  const targets = DATABASES.filter((db) => !only || db.name === only);
  if (targets.length === 0) throw new Error(`unknown database ${only} (known: ${DATABASES.map((db) => db.name).join(', ')})`);
  if (command === 'generate') {
    for (const db of targets) await runPrisma(['generate'], db.name);
  } else if (command === 'migrate') {
    await Promise.all(targets.map((db) => runPrisma(['migrate', 'deploy'], db.name)));
  } else {
    throw new Error('usage: prisma.ts generate|migrate [database]');
  }
  console.log(`prisma ${command}: ${targets.map((db) => db.name).join(', ')} done`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error((error as Error).message);
    process.exit(1);
  });
}
