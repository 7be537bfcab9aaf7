import { SERVICES } from '@ticketing/contracts';
import { scrapeConfig } from '../../infra/prometheus/scrape-config';

describe('the Prometheus scrape config', () => {
  const config = scrapeConfig({ rulesFile: 'alerts.yml' });
  const jobs = [...config.matchAll(/- job_name: (\S+)\n\s+static_configs:\n\s+- targets: \['([^']+)'\]/g)].map(([, job, target]) => [job, target]);

  it('has one job per process of the service registry, on its metrics port', () => {
    expect(jobs).toEqual(SERVICES.map((service) => [service.name, `127.0.0.1:${service.metricsPort}`]));
  });

  it('reaches the processes where it is told (docker-compose: the app container)', () => {
    const inCompose = scrapeConfig({ rulesFile: '/etc/prometheus/alerts.yml', targets: (service) => [`app:${service.metricsPort}`] });
    expect(inCompose).toContain(`- targets: ['app:${SERVICES[0]!.metricsPort}']`);
    expect(inCompose).toContain('  - /etc/prometheus/alerts.yml');
  });
});
