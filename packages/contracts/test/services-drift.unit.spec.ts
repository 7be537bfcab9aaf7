import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DATABASES, serviceNamed, SERVICES } from '../src';

/**
 * Files that cannot import the registry (YAML, SQL, shell) repeat parts of it; these specs make
 * a drift fail CI instead of a deployment.
 */
const ROOT = path.resolve(__dirname, '../../..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const sorted = (values: Iterable<string | number>) => [...values].map(String).sort();

const registryDatabases = () => sorted(DATABASES.map((database) => database.pgDatabase));
const registryDatabaseUrls = (host: string, port: number) =>
  DATABASES.map((database) => `${database.urlVar}=postgresql://ticketing:ticketing@${host}:${port}/${database.pgDatabase}`).sort();

describe('files that repeat the service registry', () => {
  it('given docker-compose.yml, then the app gets one URL variable per registry database', () => {
    const block = /^x-database-urls: &database-urls\n((?:[ ]+.*\n)+)/m.exec(read('docker-compose.yml'))?.[1] ?? '';
    const urls = block.split('\n').filter(Boolean).map((line) => line.trim().replace(/: /, '='));

    expect(urls.sort()).toEqual(registryDatabaseUrls('postgres', 5432));
  });

  it('given docker-compose.yml, then the app publishes exactly the public ports of the registry', () => {
    const [, from, to] = /"127\.0\.0\.1:(\d+)-(\d+):\1-\2"/.exec(read('docker-compose.yml')) ?? [];
    const published = Array.from({ length: Number(to) - Number(from) + 1 }, (_, i) => Number(from) + i);

    expect(sorted(published)).toEqual(sorted(SERVICES.map((service) => service.port)));
  });

  it('given the postgres image init script, then it creates exactly the registry databases', () => {
    const created = [...read('infra/docker/postgres-init.sql').matchAll(/^CREATE DATABASE (\w+) OWNER ticketing;$/gm)].map((match) => match[1]!);

    expect(sorted(created)).toEqual(registryDatabases());
  });

  it('given the local stack scripts, then up.sh creates and print_env names exactly the registry databases', () => {
    const result = spawnSync('bash', ['-c', 'source infra/stack/lib.sh && print_env'], { cwd: ROOT, encoding: 'utf8', env: { PATH: process.env['PATH'] } });
    const printed = result.stdout.split('\n').filter((line) => line.includes('_DATABASE_URL='));

    expect(result.status).toBe(0);
    expect(printed.sort()).toEqual(registryDatabaseUrls('127.0.0.1', 5432));
  });

  it("given npm start's closing banner, then it shows the gateway on the registry's default port", () => {
    expect(/port=\$\{GATEWAY_PORT:-(\d+)\}/.exec(read('scripts/start.sh'))?.[1]).toBe(String(serviceNamed('gateway').port));
  });
});
