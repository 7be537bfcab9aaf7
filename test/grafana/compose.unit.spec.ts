import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { scrapeConfig } from '../../infra/prometheus/scrape-config';

/*
 * docker-compose.yml's Prometheus and Grafana wiring, which YAML cannot check for itself: the
 * compose scrape config is the registry's (regenerate with
 * `npx tsx infra/prometheus/scrape-config.ts infra/prometheus/prometheus.compose.yml /etc/prometheus/alerts.yml app`),
 * every mounted file exists, and Grafana finds its dashboards and Prometheus where provisioning says.
 */

const ROOT = path.join(__dirname, '../..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const compose = read('docker-compose.yml');

/** A compose service's block: its indented lines up to the next top-level service. */
const serviceBlock = (name: string) => new RegExp(`^  ${name}:\\n((?:(?:    .*)?\\n)+)`, 'm').exec(compose)?.[1] ?? '';
const mounts = (name: string) => [...serviceBlock(name).matchAll(/^\s+- \.\/(\S+?):(\S+?)(?::ro)?$/gm)].map(([, host = '', container = '']) => ({ host, container }));

describe('docker-compose monitoring', () => {
  it('given the app container, then Prometheus scrapes every process of the registry on it', () => {
    const generated = scrapeConfig({ rulesFile: '/etc/prometheus/alerts.yml', targets: (service) => [`app:${service.metricsPort}`] });
    expect(read('infra/prometheus/prometheus.compose.yml')).toBe(generated);
    expect(mounts('prometheus')).toEqual(expect.arrayContaining([
      { host: 'infra/prometheus/prometheus.compose.yml', container: '/etc/prometheus/prometheus.yml' },
      { host: 'infra/prometheus/alerts.yml', container: '/etc/prometheus/alerts.yml' },
    ]));
  });

  it('given Grafana, then it mounts the provisioning and the dashboards where the provider reads them', () => {
    const grafana = mounts('grafana');
    expect(serviceBlock('grafana')).toMatch(/image: grafana\/grafana-oss:/);
    expect(grafana).toContainEqual({ host: 'infra/grafana/provisioning', container: '/etc/grafana/provisioning' });
    const providerPath = /^\s+path: (\S+)$/m.exec(read('infra/grafana/provisioning/dashboards/ticketing.yml'))?.[1];
    expect(grafana).toContainEqual({ host: 'infra/grafana/dashboards', container: providerPath });
    for (const { host } of [...grafana, ...mounts('prometheus')]) expect(existsSync(path.join(ROOT, host))).toBe(true);
  });

  it('given the datasource, then it is the uid the dashboards name, on the compose Prometheus', () => {
    const datasource = read('infra/grafana/provisioning/datasources/prometheus.yml');
    expect(datasource).toMatch(/^\s+uid: prometheus$/m);
    expect(datasource).toMatch(/^\s+url: http:\/\/prometheus:9090$/m);
    expect(serviceBlock('grafana')).toMatch(/depends_on:\n\s+- prometheus\n/);
  });
});
