import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { z } from 'zod';
import { DATABASES, SERVICES, SUBGRAPHS, type Service, type ServiceName } from '@ticketing/contracts';
import { DEVELOPMENT_SECRETS, loadConfig } from '@ticketing/platform';
import { gatewayConfigSchema } from '../../gateway/src/config';
import { compiledPath } from '../../infra/build';
import { bookingConfigSchema } from '../../subgraphs/booking/src/config';
import { concertConfigSchema } from '../../subgraphs/concert/src/config';
import { historyConfigSchema } from '../../subgraphs/history/src/config';
import { paymentConfigSchema } from '../../subgraphs/payment/src/config';
import { queueConfigSchema } from '../../subgraphs/queue/src/config';
import { userConfigSchema } from '../../subgraphs/user/src/config';

/*
 * The deployment files (infra/k8s, docker-compose*.yml, infra/docker/haproxy.cfg) against their
 * schemas (scripts/validate-k8s.sh: kubernetes-validate --strict, the compose-spec schema,
 * haproxy -c) and against what no schema knows: the service registry's ports, the probe paths the
 * platform serves, and every variable each service's config needs. K8S_DIR=<a copy> points the
 * manifest checks at another directory (to see them fail on a broken copy).
 *
 * YAML is read by the PyYAML of the validator's venv (.local/k8s-validate), which the script
 * installs first: the repository itself has no YAML parser among its dependencies.
 */

const ROOT = path.resolve(__dirname, '../..');
const K8S_DIR = path.resolve(ROOT, process.env['K8S_DIR'] ?? 'infra/k8s');
const PYTHON = path.join(ROOT, '.local/k8s-validate/bin/python');
const read = (file: string) => readFileSync(path.resolve(ROOT, file), 'utf8');

type Json = Record<string, unknown>;
interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string }; configMapKeyRef?: { name: string; key: string } };
}
interface Port {
  name: string;
  containerPort?: number;
  port?: number;
  targetPort?: number | string;
}
interface Probe {
  httpGet?: { path: string; port: number | string };
}
interface Container {
  name: string;
  image: string;
  command?: string[];
  ports?: Port[];
  env?: EnvVar[];
  envFrom?: Array<{ configMapRef?: { name: string }; secretRef?: { name: string } }>;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
}
interface Resource {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec?: Json;
  data?: Record<string, string>;
}
interface Deployment extends Resource {
  spec: { replicas: number; template: { spec: { containers: Container[]; initContainers?: Container[] } } };
}
interface ComposeService {
  image?: string;
  command?: string[] | string;
  environment?: Record<string, string | number>;
  deploy?: { replicas?: number };
  healthcheck?: { test: string[] };
  profiles?: string[];
  ports?: string[];
  volumes?: string[];
}
interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

/** Every document of a YAML file (anchors and merge keys resolved), through the venv's PyYAML. */
function yamlDocuments(file: string): unknown[] {
  const run = spawnSync(PYTHON, ['-c', 'import json, sys, yaml; print(json.dumps([d for d in yaml.safe_load_all(open(sys.argv[1])) if d is not None]))', file], {
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`cannot read ${file} as YAML:\n${run.stderr}`);
  return JSON.parse(run.stdout) as unknown[];
}

function validate(env: Record<string, string> = {}) {
  const run = spawnSync('bash', ['scripts/validate-k8s.sh'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env } });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

const CONFIG_SCHEMAS: Record<ServiceName, z.ZodObject> = {
  user: userConfigSchema,
  concert: concertConfigSchema,
  queue: queueConfigSchema,
  booking: bookingConfigSchema,
  payment: paymentConfigSchema,
  history: historyConfigSchema,
  gateway: gatewayConfigSchema,
};

/** Stand-ins for the Secret's values, each in the shape its setting parses. */
function secretStandIn(key: string): string {
  if (key.endsWith('_DATABASE_URL')) return `postgresql://ticketing:secret@postgres:5432/ticketing_${key.slice(0, -'_DATABASE_URL'.length).toLowerCase()}`;
  if (key === 'EVENT_STORE_URL') return 'mongodb://mongo:27017/ticketing_events';
  return `${key.toLowerCase()}-${'0123456789abcdef'.repeat(4)}`;
}

const LOOPBACK = /127\.0\.0\.1|localhost/;

/**
 * What a process of `service` gets from `env` must be a complete configuration: it loads in
 * production mode, and no setting is left on a default that points at this machine (every
 * default that names 127.0.0.1 must be set, and not to loopback); it listens on all interfaces.
 */
function expectCompleteConfig(service: Service, env: Record<string, string>, where: string) {
  const schema = CONFIG_SCHEMAS[service.name];
  let config: Record<string, unknown>;
  try {
    config = loadConfig(schema, { ...env, NODE_ENV: 'production' }) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`${where}: ${service.name} would not start: ${(error as Error).message}`);
  }
  const defaults = loadConfig(schema, { NODE_ENV: 'development' }) as Record<string, unknown>;
  const needed = Object.keys(schema.shape).filter((key) => LOOPBACK.test(JSON.stringify(defaults[key])));
  expect(needed.length).toBeGreaterThan(0);
  for (const key of needed) {
    expect({ where, service: service.name, key, set: key in env }).toEqual({ where, service: service.name, key, set: true });
    const value = JSON.stringify(config[key]);
    expect({ where, service: service.name, key, loopback: LOOPBACK.test(value) ? value : false }).toEqual({ where, service: service.name, key, loopback: false });
  }
  expect({ where, service: service.name, HOST: config['HOST'] }).toEqual({ where, service: service.name, HOST: '0.0.0.0' });
}

describe('scripts/validate-k8s.sh', () => {
  // Installs the validator on a fresh machine (pip, npm pack): minutes at most.
  jest.setTimeout(300_000);

  it('passes on the committed manifests, compose files and load balancer config', () => {
    const { status, output } = validate(process.env['K8S_DIR'] ? { K8S_DIR } : {});
    if (status !== 0) throw new Error(`validate-k8s.sh failed (exit ${status}):\n${output}`);
    expect(output).toMatch(/ok: \d+ resources in \d+ files valid against Kubernetes/);
    expect(output).toMatch(/ok: compose files valid against the compose-spec schema/);
    expect(output).toMatch(/all checks passed/);
  });

  it('fails on a manifest with an unknown field, a wrong type or an unknown kind, and on a broken compose file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'k8s-broken-'));
    try {
      const breaks: Array<[string, string | RegExp, string]> = [
        ['booking.yaml', 'containerPort: 4004', 'containerPorts: 4004'],
        ['gateway.yaml', /periodSeconds: 5$/m, 'periodSeconds: "often"'],
        ['user.yaml', /^kind: Service$/m, 'kind: Servise'],
      ];
      for (const [file, from, to] of breaks) {
        rmSync(path.join(dir, 'k8s'), { recursive: true, force: true });
        cpSync(K8S_DIR, path.join(dir, 'k8s'), { recursive: true });
        const target = path.join(dir, 'k8s', file);
        const broken = readFileSync(target, 'utf8').replace(from, to);
        expect(broken).not.toBe(readFileSync(target, 'utf8'));
        writeFileSync(target, broken);
        const { status, output } = validate({ K8S_DIR: path.join(dir, 'k8s') });
        expect({ file, status }).toEqual({ file, status: 1 });
        expect(output).toMatch(/FAILED: Kubernetes manifests/);
      }
      const compose = path.join(dir, 'docker-compose.scaled.yml');
      writeFileSync(compose, read('docker-compose.scaled.yml').replace(/^ {2}deploy:$/m, '  deploys:'));
      const { status, output } = validate({ COMPOSE_FILES: compose });
      expect(status).toBe(1);
      expect(output).toMatch(/'deploys' does not match/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Kubernetes manifests against the service registry', () => {
  let resources: Resource[] = [];
  const deploymentOf = (name: string) => resources.find((r): r is Deployment => r.kind === 'Deployment' && r.metadata.name === name);
  const containerOf = (name: string) => deploymentOf(name)?.spec.template.spec.containers.find((c) => c.name === name);

  beforeAll(() => {
    // The venv (and its PyYAML) exists once the script ran; run it when this file runs alone.
    if (!existsSync(PYTHON)) validate();
    const files = readdirSync(K8S_DIR).filter((file) => file.endsWith('.yaml') && file !== 'kustomization.yaml');
    resources = files.flatMap((file) => yamlDocuments(path.join(K8S_DIR, file)) as Resource[]);
  });

  it('kustomization.yaml lists exactly the manifests of the directory', () => {
    const [kustomization] = yamlDocuments(path.join(K8S_DIR, 'kustomization.yaml')) as Array<{ resources: string[] }>;
    const files = readdirSync(K8S_DIR).filter((file) => file.endsWith('.yaml') && file !== 'kustomization.yaml');
    expect([...kustomization!.resources].sort()).toEqual(files.sort());
  });

  it.each(SERVICES.map((service) => [service.name, service] as const))('%s has a Deployment of 2 replicas and a Service on its registry ports', (name, service) => {
    const deployment = deploymentOf(name);
    expect(deployment).toBeDefined();
    expect(deployment!.spec.replicas).toBe(2);
    const container = containerOf(name)!;
    expect(container).toBeDefined();
    expect(container.command).toEqual(['node', '--enable-source-maps', compiledPath(service.entry)]);
    expect(container.ports).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'http', containerPort: service.port }),
        expect.objectContaining({ name: 'metrics', containerPort: service.metricsPort }),
      ]),
    );
    const svc = resources.find((r) => r.kind === 'Service' && r.metadata.name === name);
    expect(svc).toBeDefined();
    expect((svc!.spec as { ports: Port[] }).ports).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'http', port: service.port, targetPort: 'http' }),
        expect.objectContaining({ name: 'metrics', port: service.metricsPort, targetPort: 'metrics' }),
      ]),
    );
    expect((svc!.spec as { selector: Record<string, string> }).selector).toEqual({ 'app.kubernetes.io/name': name });
    expect(container.resources?.requests?.['cpu']).toBeDefined();
    expect(container.resources?.limits?.['cpu']).toBeDefined();
    expect(container.resources?.limits?.['memory']).toBeDefined();
  });

  it('probes /health (liveness) and /ready (readiness) on the public port, the paths every process serves', () => {
    const platform = read('packages/platform/src/service.ts');
    expect(platform).toContain("app.get('/health'");
    expect(platform).toContain("app.get('/ready'");
    for (const service of SERVICES) {
      const container = containerOf(service.name)!;
      const http = container.ports!.find((port) => port.name === 'http')!;
      for (const [probe, route] of [
        [container.livenessProbe, '/health'],
        [container.readinessProbe, '/ready'],
      ] as const) {
        const port = probe?.httpGet?.port;
        expect({ service: service.name, path: probe?.httpGet?.path, port: port === 'http' ? http.containerPort : port }).toEqual({
          service: service.name,
          path: route,
          port: service.port,
        });
      }
    }
  });

  it("gives every process every setting its config needs, secrets only from the Secret, none left on 127.0.0.1", () => {
    const configMaps = new Map(resources.filter((r) => r.kind === 'ConfigMap').map((r) => [r.metadata.name, r.data ?? {}]));
    const secretValued = new Set([...Object.keys(DEVELOPMENT_SECRETS), ...DATABASES.map((db) => db.urlVar), 'EVENT_STORE_URL', 'ADMIN_PASSWORD']);
    for (const service of SERVICES) {
      const container = containerOf(service.name)!;
      const env: Record<string, string> = {};
      for (const source of container.envFrom ?? []) {
        const name = source.configMapRef?.name;
        expect({ service: service.name, configMap: name, exists: name !== undefined && configMaps.has(name) }).toEqual(
          expect.objectContaining({ exists: true }),
        );
        Object.assign(env, configMaps.get(name!));
      }
      for (const variable of container.env ?? []) {
        const ref = variable.valueFrom?.secretKeyRef;
        if (secretValued.has(variable.name)) expect({ service: service.name, variable: variable.name, fromSecret: ref?.name }).toEqual({ service: service.name, variable: variable.name, fromSecret: 'ticketing-secrets' });
        if (ref) env[variable.name] = secretStandIn(ref.key);
        else if (variable.value !== undefined) env[variable.name] = variable.value;
        else throw new Error(`${service.name}: ${variable.name} has neither a value nor a Secret reference`);
      }
      for (const key of secretValued) expect({ service: service.name, key, inConfigMap: Object.values(Object.fromEntries(configMaps)).some((data) => key in data) }).toEqual(expect.objectContaining({ inConfigMap: false }));
      // The port variables, if set at all, must agree with the containerPorts checked above.
      expect([env[service.portVar] ?? String(service.port), env[service.metricsPortVar] ?? String(service.metricsPort)]).toEqual([String(service.port), String(service.metricsPort)]);
      expectCompleteConfig(service, env, 'infra/k8s');
      // A migrating init container gets its own database URL, from the Secret.
      if (service.database) {
        const migrate = deploymentOf(service.name)!.spec.template.spec.initContainers?.find((c) => c.name === 'migrate');
        expect(migrate?.command).toEqual(['npx', '--no-install', 'tsx', 'scripts/prisma.ts', 'migrate', service.name]);
        expect(migrate?.env?.find((v) => v.name === service.database!.urlVar)?.valueFrom?.secretKeyRef?.key).toBe(service.database.urlVar);
      }
    }
    // The migration command is the repo's own.
    expect(read('scripts/start.sh')).toContain('npx --no-install tsx scripts/prisma.ts migrate');
    // The subgraph URLs point at the Services above.
    const config = configMaps.get('ticketing-config')!;
    for (const subgraph of SUBGRAPHS) expect(config[subgraph.urlVar]).toBe(`http://${subgraph.name}:${subgraph.port}/graphql`);
  });

  it('autoscales (autoscaling/v2, CPU) at least the gateway, booking and payment, from 2 replicas', () => {
    const hpas = resources.filter((r) => r.kind === 'HorizontalPodAutoscaler');
    for (const name of ['gateway', 'booking', 'payment']) {
      const hpa = hpas.find((r) => r.metadata.name === name);
      expect({ name, apiVersion: hpa?.apiVersion }).toEqual({ name, apiVersion: 'autoscaling/v2' });
      const spec = hpa!.spec as { scaleTargetRef: { kind: string; name: string }; minReplicas: number; maxReplicas: number };
      expect(spec.scaleTargetRef).toEqual(expect.objectContaining({ kind: 'Deployment', name }));
      expect(spec.minReplicas).toBe(2);
      expect(spec.maxReplicas).toBeGreaterThan(2);
    }
  });
});

describe('docker-compose: the scaled override, the load balancer and the Kafka cluster', () => {
  let base: ComposeFile;
  let scaled: ComposeFile;
  const haproxy = read('infra/docker/haproxy.cfg');

  beforeAll(() => {
    if (!existsSync(PYTHON)) validate();
    base = yamlDocuments(path.join(ROOT, 'docker-compose.yml'))[0] as ComposeFile;
    scaled = yamlDocuments(path.join(ROOT, 'docker-compose.scaled.yml'))[0] as ComposeFile;
  });

  it('runs every process of the registry twice, as its compiled entry, healthy on its own /ready', () => {
    for (const service of SERVICES) {
      const replica = scaled.services[service.name];
      expect({ name: service.name, replicas: replica?.deploy?.replicas }).toEqual({ name: service.name, replicas: 2 });
      expect(String(replica!.command)).toContain(`exec node --enable-source-maps ${compiledPath(service.entry)}`);
      expect(replica!.healthcheck?.test.join(' ')).toContain(`http://127.0.0.1:${service.port}/ready`);
      // No replica publishes a host port: only the load balancer does.
      expect(replica!.ports).toBeUndefined();
    }
    expect(scaled.services['app']?.profiles).toEqual(['single']);
  });

  it('gives every replica a complete configuration, the same databases as the app container, calls through the load balancer', () => {
    for (const service of SERVICES) {
      const environment = Object.fromEntries(Object.entries(scaled.services[service.name]!.environment ?? {}).map(([key, value]) => [key, String(value)]));
      for (const database of DATABASES) expect(environment[database.urlVar]).toBe(String(base.services['app']!.environment![database.urlVar]));
      for (const subgraph of SUBGRAPHS) expect(environment[subgraph.urlVar]).toBe(`http://lb:${subgraph.port}/graphql`);
      // Compose interpolates `${VAR:-default}`; the secrets come from .local/secrets.env at start.
      const interpolated = Object.fromEntries(
        Object.entries(environment)
          .map(([key, value]) => [key, value.replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1')] as const)
          .filter(([key, value]) => !(key in DEVELOPMENT_SECRETS && value === '')),
      );
      for (const secret of Object.keys(DEVELOPMENT_SECRETS)) interpolated[secret] ??= secretStandIn(secret);
      expectCompleteConfig(service, interpolated, 'docker-compose.scaled.yml');
    }
  });

  it('balances each service of the registry on its port over its replicas, by /ready, and publishes only the gateway', () => {
    for (const service of SERVICES) {
      expect(haproxy).toMatch(new RegExp(`^frontend ${service.name}\\n    bind :${service.port}\\n(?:    .*\\n)*?    default_backend ${service.name}$`, 'm'));
      expect(haproxy).toMatch(new RegExp(`^backend ${service.name}\\n(?:    .*\\n)*?    option httpchk GET /ready\\n(?:    .*\\n)*?    server-template ${service.name} \\d+ ${service.name}:${service.port}$`, 'm'));
    }
    const lb = scaled.services['lb']!;
    expect(lb.volumes).toContain('./infra/docker/haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro');
    const gateway = SERVICES.find((service) => service.kind === 'gateway')!;
    expect(lb.ports).toContain(`127.0.0.1:${gateway.port}:${gateway.port}`);
  });

  it('has a kafka-cluster profile of 3 KRaft brokers replicating every topic 3 times, partitioned as the bus creates topics', () => {
    const brokers = Object.entries(base.services).filter(([, service]) => service.profiles?.includes('kafka-cluster'));
    expect(brokers.map(([name]) => name).sort()).toEqual(['kafka-1', 'kafka-2', 'kafka-3']);
    const busPartitions = /async ensureTopics\(names, partitions = (\d+)\)/.exec(read('packages/messaging/src/kafka-bus.ts'))?.[1];
    expect(busPartitions).toBeDefined();
    for (const [name, broker] of brokers) {
      const env = broker.environment!;
      expect(String(env['KAFKA_CONTROLLER_QUORUM_VOTERS'])).toBe('1@kafka-1:9093,2@kafka-2:9093,3@kafka-3:9093');
      expect(`kafka-${env['KAFKA_NODE_ID']}`).toBe(name);
      expect(String(env['KAFKA_ADVERTISED_LISTENERS'])).toContain(`INTERNAL://${name}:29092`);
      expect(String(env['KAFKA_DEFAULT_REPLICATION_FACTOR'])).toBe('3');
      expect(String(env['KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR'])).toBe('3');
      expect(String(env['KAFKA_MIN_INSYNC_REPLICAS'])).toBe('2');
      expect(String(env['KAFKA_NUM_PARTITIONS'])).toBe(busPartitions);
      expect(broker.volumes?.[0]).toMatch(new RegExp(`^${name}-data:`));
      expect(base.volumes).toHaveProperty(`${name}-data`);
    }
  });

  it('keeps the single-node services as they were: Redis with its append-only file on a volume', () => {
    const redis = base.services['redis']!;
    expect(redis.command).toEqual(expect.arrayContaining(['--appendonly', 'yes']));
    expect(redis.volumes).toContain('redis-data:/data');
    expect(base.services['kafka']?.profiles).toBeUndefined();
    expect(base.services['app']?.profiles).toBeUndefined();
  });
});
