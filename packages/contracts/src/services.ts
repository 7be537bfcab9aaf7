/**
 * The one list of the system's processes. The gateway's supergraph, the start scripts, codegen,
 * the test harness, Prisma and the Kafka topics all derive from it; docker-compose.yml,
 * postgres-init.sql and the stack scripts cannot import it, so services-drift.unit.spec.ts fails
 * when they disagree (and names what to update). Adding a process is one entry here plus its own
 * folder (subgraphs/<name>/, and prisma/<name>/ when it has a PostgreSQL database).
 */
const DECLARED = [
  { name: 'user', kind: 'subgraph', port: 4001, metricsPort: 9401, postgres: true, aggregates: ['user'] },
  { name: 'concert', kind: 'subgraph', port: 4002, metricsPort: 9402, postgres: true, aggregates: ['concert', 'schedule'] },
  { name: 'queue', kind: 'subgraph', port: 4003, metricsPort: 9403, postgres: true, aggregates: ['queue', 'queue-ticket'] },
  { name: 'booking', kind: 'subgraph', port: 4004, metricsPort: 9404, postgres: true, aggregates: ['booking', 'seat-block'] },
  { name: 'payment', kind: 'subgraph', port: 4005, metricsPort: 9405, postgres: true, aggregates: ['payment', 'wallet'] },
  { name: 'history', kind: 'subgraph', port: 4006, metricsPort: 9406, postgres: false, aggregates: [] },
  // Last: `npm start` and the test harness start in this order, so the gateway finds every subgraph up.
  { name: 'gateway', kind: 'gateway', port: 4000, metricsPort: 9400, postgres: false, aggregates: [] },
] as const satisfies readonly ServiceDeclaration[];

interface ServiceDeclaration {
  name: string;
  /** A subgraph is a member of the supergraph; the gateway serves it. */
  kind: 'subgraph' | 'gateway';
  /** Default public port (`<NAME>_PORT`), and the internal one for Prometheus (`<NAME>_METRICS_PORT`). */
  port: number;
  metricsPort: number;
  /** Owns a PostgreSQL database `ticketing_<name>`, migrated from prisma/<name>/ (`<NAME>_DATABASE_URL`). */
  postgres: boolean;
  /** The aggregate types whose events it publishes, each on its own `<type>.events` topic. */
  aggregates: readonly string[];
}

type Declared = (typeof DECLARED)[number];
export type ServiceName = Declared['name'];
export type SubgraphName = Extract<Declared, { kind: 'subgraph' }>['name'];
export type DatabaseName = Extract<Declared, { postgres: true }>['name'];
export type AggregateType = Declared['aggregates'][number];

/** The variable a process reads a setting of a service from: `USER_PORT`, `BOOKING_DATABASE_URL`, ... */
export const envVar = <N extends string, S extends 'PORT' | 'URL' | 'METRICS_PORT' | 'DATABASE_URL'>(name: N, setting: S) =>
  `${name.toUpperCase()}_${setting}` as `${Uppercase<N>}_${S}`;

/** Where a service answers GraphQL on this host, on its default port unless told another. */
export const localGraphqlUrl = (port: number) => `http://127.0.0.1:${port}/graphql`;

export interface ServiceDatabase<N extends DatabaseName = DatabaseName> {
  /** The owning service; also the folder of its Prisma schema and migrations (prisma/<name>/). */
  name: N;
  urlVar: `${Uppercase<N>}_DATABASE_URL`;
  /** The database's name on a shared PostgreSQL server. */
  pgDatabase: `ticketing_${N}`;
}

export interface Service<N extends ServiceName = ServiceName> {
  name: N;
  kind: Declared['kind'];
  port: number;
  metricsPort: number;
  portVar: `${Uppercase<N>}_PORT`;
  /** Where the others (the gateway, the harness) find its GraphQL endpoint. */
  urlVar: `${Uppercase<N>}_URL`;
  metricsPortVar: `${Uppercase<N>}_METRICS_PORT`;
  /** Entry file, from the repository root. */
  entry: string;
  /** Its SDL, from the repository root (subgraphs only). */
  schema: string | null;
  database: ServiceDatabase | null;
  aggregates: readonly AggregateType[];
}

function expand(declared: Declared): Service {
  const { name, kind } = declared;
  return {
    name,
    kind,
    port: declared.port,
    metricsPort: declared.metricsPort,
    portVar: envVar(name, 'PORT'),
    urlVar: envVar(name, 'URL'),
    metricsPortVar: envVar(name, 'METRICS_PORT'),
    entry: kind === 'gateway' ? 'gateway/src/main.ts' : `subgraphs/${name}/src/main.ts`,
    schema: kind === 'subgraph' ? `subgraphs/${name}/schema.graphql` : null,
    database: declared.postgres ? { name, urlVar: envVar(name, 'DATABASE_URL'), pgDatabase: `ticketing_${name}` } : null,
    aggregates: declared.aggregates,
  } as Service;
}

/** Every process, in start order (subgraphs first, the gateway last). */
export const SERVICES: readonly Service[] = DECLARED.map(expand);

export type Subgraph = Service<SubgraphName> & { kind: 'subgraph'; schema: string };

/** The supergraph's members, in the order it is composed. */
export const SUBGRAPHS = SERVICES.filter((service) => service.kind === 'subgraph') as readonly Subgraph[];

/** One PostgreSQL database per service that has one. */
export const DATABASES = SERVICES.flatMap((service) => (service.database ? [service.database] : [])) as readonly ServiceDatabase<DatabaseName>[];

export function serviceNamed<N extends ServiceName>(name: N): Service<N> {
  const service = SERVICES.find((candidate) => candidate.name === name);
  if (!service) throw new Error(`unknown service ${name}`);
  return service as Service<N>;
}
