import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Client, type Pool } from 'pg';
import { createLogger, createPgPool } from '@ticketing/platform';
import { DATABASES, PG_ADMIN_URL, ROOT, databaseUrl, type DatabaseName } from '../../../infra/services';
import { runPrisma } from '../../../scripts/prisma';

/** The local stack (infra/stack/up.sh, idempotent): what tests run against on these machines. */
export function ensureLocalStack(): void {
  const result = spawnSync('bash', [path.join(ROOT, 'infra/stack/up.sh')], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error('infra/stack/up.sh failed; see .local/logs/');
}

function migrationsHash(database: string): string {
  const dir = path.join(ROOT, 'prisma', database, 'migrations');
  const hash = createHash('sha256');
  if (!existsSync(dir)) throw new Error(`prisma/${database}/migrations is missing`);
  for (const entry of readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort()) {
    if (entry.endsWith('.sql')) hash.update(entry).update(readFileSync(path.join(dir, entry)));
  }
  return hash.digest('hex').slice(0, 12);
}

async function withAdmin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const exists = async (client: Client, name: string) =>
  (await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;

/** Migrates one template per database and migration set, once; concurrent runs wait their turn. */
async function ensureTemplates(databases: readonly DatabaseName[]): Promise<Map<DatabaseName, string>> {
  // Hashed once: a clone must use exactly the template that was checked or built.
  const templates = new Map(databases.map((name) => [name, `tpl_${name}_${migrationsHash(name)}`]));
  await withAdmin(async (client) => {
    // Serialises template creation between concurrent runs on one machine.
    await client.query('SELECT pg_advisory_lock(727001)');
    try {
      await Promise.all(
        databases.map(async (name) => {
          const template = templates.get(name)!;
          const urlVar = DATABASES.find((db) => db.name === name)!.urlVar;
          const templateClient = new Client({ connectionString: PG_ADMIN_URL });
          await templateClient.connect();
          try {
            if (await exists(templateClient, template)) return;
            await templateClient.query(`CREATE DATABASE ${template}`);
            try {
              await runPrisma(['migrate', 'deploy'], name, { ...process.env, [urlVar]: databaseUrl(template) });
            } catch (error) {
              await templateClient.query(`DROP DATABASE IF EXISTS ${template}`);
              throw error;
            }
          } finally {
            await templateClient.end();
          }
        }),
      );
    } finally {
      await client.query('SELECT pg_advisory_unlock(727001)');
    }
  });
  return templates;
}

/**
 * One fresh database per subgraph for this run, cloned from a template that was migrated once per
 * migration set (CREATE DATABASE ... TEMPLATE is a file copy: far faster than migrating).
 */
export async function createRunDatabases(runId: string): Promise<Record<string, string>> {
  const templates = await ensureTemplates(DATABASES.map((db) => db.name));
  const urls: Record<string, string> = {};
  await withAdmin(async (client) => {
    for (const db of DATABASES) {
      const name = `test_${runId}_${db.name}`;
      await client.query(`CREATE DATABASE ${name} TEMPLATE ${templates.get(db.name)!}`);
      urls[db.urlVar] = databaseUrl(name);
    }
  });
  return urls;
}

/** A migrated, empty database of one subgraph, for a test that needs nobody else's rows. */
export async function createScratchDatabase(database: DatabaseName): Promise<{ url: string; drop: () => Promise<void> }> {
  const template = (await ensureTemplates([database])).get(database)!;
  const name = `scratch_${database}_${randomBytes(4).toString('hex')}`;
  await withAdmin((client) => client.query(`CREATE DATABASE ${name} TEMPLATE ${template}`));
  return {
    url: databaseUrl(name),
    drop: () => withAdmin(async (client) => void (await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))),
  };
}

export async function dropRunDatabases(runId: string): Promise<void> {
  await withAdmin(async (client) => {
    for (const db of DATABASES) await client.query(`DROP DATABASE IF EXISTS test_${runId}_${db.name} WITH (FORCE)`);
  });
}

/** A scratch database (createScratchDatabase) with a pool on it, dropped with the pool. */
export async function createScratchPool(database: DatabaseName, max = 10): Promise<{ pool: Pool; drop: () => Promise<void> }> {
  const db = await createScratchDatabase(database);
  const pool = createPgPool(db.url, { max, logger: createLogger('test-support', 'warn'), name: 'test-scratch', maxPreparedStatements: 0 });
  return {
    pool,
    drop: async () => {
      // pool.end() resolves before its sockets have closed, so DROP ... WITH (FORCE) may still
      // terminate one of them: that FATAL is expected here, so neither fail the test nor warn about it.
      pool.removeAllListeners('error').on('error', () => undefined);
      await pool.end();
      await db.drop();
    },
  };
}
