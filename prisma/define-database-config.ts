import { defineConfig } from 'prisma/config';
import { PrismaPg } from '@prisma/adapter-pg';
import path from 'node:path';
import pg from 'pg';

/**
 * Shared prisma.config for every subgraph database: the offline Prisma 6.19 recipe
 * (JS/WASM engines through the pg driver adapter; nothing is downloaded).
 *
 * Workaround for prisma/orm#27403: the WASM schema engine reads catalog columns of
 * PostgreSQL type `name` (OID 19), which @prisma/adapter-pg cannot deserialize, so
 * `migrate deploy` fails with "Column type 'name' could not be deserialized".
 * For the CLI only (this file is never loaded by the running services) we make pg
 * report those columns as `text` (OID 25): the values are plain strings either way.
 */
const NAME_OID = 19;
const TEXT_OID = 25;
type FieldDescription = { dataTypeID: number };
const resultPrototype = (pg as unknown as { Result: { prototype: { addFields(fields: FieldDescription[]): void } } })
  .Result.prototype;
const addFields = resultPrototype.addFields;
resultPrototype.addFields = function patchedAddFields(fields: FieldDescription[]) {
  for (const field of fields) if (field.dataTypeID === NAME_OID) field.dataTypeID = TEXT_OID;
  return addFields.call(this, fields);
};

/** The parts of @prisma/adapter-pg's adapter object the workaround below touches. */
type PgScriptRunner = { client: pg.Pool; onError(error: unknown): never; executeScript(script: string): Promise<void> };

/**
 * Two more CLI-only workarounds for @prisma/adapter-pg 6.19 (no upstream issue found yet):
 * - `executeScript`, which `migrate deploy` runs each migration with, splits the script on every
 *   ";", even inside comments and PL/pgSQL bodies ("unterminated dollar-quoted string" for the
 *   ledger's append-only trigger). Sent as one simple query, PostgreSQL parses the script itself
 *   and applies it as one implicit transaction, as Prisma's native engine does.
 * - `connectToShadowDb` creates a shadow database but connects with the main connection string,
 *   so `migrate diff --from-migrations` would replay every migration into the real database.
 *   Refused: write migrations with `--from-schema-datamodel` diffs (README, "Working on it").
 */
function migrationSafeAdapter(connectionString: string): PrismaPg {
  const factory = new PrismaPg({ connectionString });
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = await connect();
    const runner = adapter as unknown as PgScriptRunner;
    runner.executeScript = async (script) => {
      await runner.client.query(script).catch((error: unknown) => runner.onError(error));
    };
    return adapter;
  };
  factory.connectToShadowDb = () =>
    Promise.reject(new Error('No shadow database with this adapter: it would be the main database. Use --from-schema-datamodel.'));
  return factory;
}

export function defineDatabaseConfig(database: string, envVar: string) {
  // schema.prisma reads the same variable through env(); default it for local use.
  const connectionString = (process.env[envVar] ??= `postgresql://ticketing:ticketing@127.0.0.1:5432/ticketing_${database}`);
  return defineConfig({
    experimental: { adapter: true },
    engine: 'js',
    schema: path.join(__dirname, database, 'schema.prisma'),
    migrations: { path: path.join(__dirname, database, 'migrations') },
    adapter: async () => migrationSafeAdapter(connectionString),
  });
}
