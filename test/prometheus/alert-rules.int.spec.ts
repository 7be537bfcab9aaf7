import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { scrapeConfig } from '../../infra/prometheus/scrape-config';

/*
 * The alert rules as Prometheus reads them: `promtool check rules`, the rules' own unit tests
 * (alerts.test.yml: each alert fires on the series that should fire it and stays quiet on the
 * others), and the generated scrape config. promtool comes with Debian's prometheus package,
 * which infra/stack/up.sh installs with the stack.
 */

const DIR = path.join(__dirname, '../../infra/prometheus');

function promtool(...args: string[]): string {
  const run = spawnSync('promtool', args, { cwd: DIR, encoding: 'utf8' });
  if (run.error && (run.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new Error('promtool is not installed: run infra/stack/up.sh (it apt-installs Debian\'s prometheus package, which includes promtool)');
  }
  const output = `${run.stdout}${run.stderr}`;
  if (run.status !== 0) throw new Error(`promtool ${args.join(' ')} failed:\n${output}`);
  return output;
}

it('promtool accepts the alert rules', () => {
  expect(promtool('check', 'rules', 'alerts.yml')).toMatch(/SUCCESS: 7 rules found/);
});

it('every alert passes its unit tests (promtool test rules)', () => {
  expect(promtool('test', 'rules', 'alerts.test.yml')).toMatch(/SUCCESS/);
});

it('the scrape config generated from the service registry is a valid Prometheus config with those rules', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'prometheus-config-'));
  try {
    const file = path.join(dir, 'prometheus.yml');
    writeFileSync(file, scrapeConfig({ rulesFile: path.join(DIR, 'alerts.yml') }));
    expect(promtool('check', 'config', file)).toMatch(/is valid prometheus config file syntax/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
