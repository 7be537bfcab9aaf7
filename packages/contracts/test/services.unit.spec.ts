import { existsSync } from 'node:fs';
import path from 'node:path';
import { AGGREGATE_TYPES, DATABASES, envVar, serviceNamed, SERVICES, SUBGRAPHS, topicFor } from '../src';

const ROOT = path.resolve(__dirname, '../../..');

describe('the service registry', () => {
  it('given a service, then every variable it is configured by follows <NAME>_<SETTING>', () => {
    for (const service of SERVICES) {
      const NAME = service.name.toUpperCase();
      expect([service.portVar, service.urlVar, service.metricsPortVar]).toEqual([`${NAME}_PORT`, `${NAME}_URL`, `${NAME}_METRICS_PORT`]);
      if (service.database) expect(service.database.urlVar).toBe(`${NAME}_DATABASE_URL`);
    }
    expect(envVar('booking', 'DATABASE_URL')).toBe('BOOKING_DATABASE_URL');
  });

  it('given the user subgraph, then it keeps the defaults every deployment knows', () => {
    expect(serviceNamed('user')).toEqual({
      name: 'user',
      kind: 'subgraph',
      port: 4001,
      metricsPort: 9401,
      portVar: 'USER_PORT',
      urlVar: 'USER_URL',
      metricsPortVar: 'USER_METRICS_PORT',
      entry: 'subgraphs/user/src/main.ts',
      schema: 'subgraphs/user/schema.graphql',
      database: { name: 'user', urlVar: 'USER_DATABASE_URL', pgDatabase: 'ticketing_user' },
      aggregates: ['user'],
    });
    expect(serviceNamed('gateway')).toMatchObject({ kind: 'gateway', port: 4000, metricsPort: 9400, entry: 'gateway/src/main.ts', schema: null, database: null });
  });

  it('when the system starts in registry order, then every subgraph is up before the gateway', () => {
    expect(SERVICES.at(-1)?.kind).toBe('gateway');
    expect(SERVICES.filter((service) => service.kind === 'gateway')).toHaveLength(1);
    expect(SUBGRAPHS.map((service) => service.name)).toEqual(SERVICES.slice(0, -1).map((service) => service.name));
  });

  it('gives every process its own name, public port and metrics port', () => {
    const distinct = (values: unknown[]) => new Set(values).size === values.length;
    expect(distinct(SERVICES.map((service) => service.name))).toBe(true);
    expect(distinct(SERVICES.flatMap((service) => [service.port, service.metricsPort]))).toBe(true);
  });

  it('points at files that exist: entry, schema, and the Prisma folder of each database', () => {
    for (const service of SERVICES) {
      expect(existsSync(path.join(ROOT, service.entry))).toBe(true);
      if (service.schema) expect(existsSync(path.join(ROOT, service.schema))).toBe(true);
    }
    for (const database of DATABASES) expect(existsSync(path.join(ROOT, 'prisma', database.name, 'prisma.config.ts'))).toBe(true);
  });

  it('derives one <type>.events topic per aggregate type a service publishes, none twice', () => {
    const published = SERVICES.flatMap((service) => service.aggregates);
    expect(AGGREGATE_TYPES).toEqual(published);
    expect(new Set(published).size).toBe(published.length);
    expect(topicFor('payment')).toBe('payment.events');
  });
});
