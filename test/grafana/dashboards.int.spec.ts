import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { testSystem } from '@ticketing/test-support';
import { SERVICES, metricsUrl } from '../../infra/services';
import { asPrometheusQuery, exposedNames, metricNames, PROMETHEUS_SERIES, variablesIn } from './promql';

/*
 * The Grafana dashboards (infra/grafana/dashboards) as Grafana and Prometheus would read them:
 * well-formed, every panel's query accepted by the local Prometheus (a parse error or an unknown
 * function fails), and every metric a query reads exposed by some process of the running test
 * system (Prometheus answers an unknown name with an empty result, so a typo would otherwise
 * pass as "no data").
 */

const DIR = path.join(__dirname, '../../infra/grafana/dashboards');
const PROMETHEUS_URL = process.env['PROMETHEUS_URL'] ?? `http://127.0.0.1:${process.env['PROMETHEUS_PORT'] ?? '9090'}`;

const Datasource = z.object({ type: z.literal('prometheus'), uid: z.literal('prometheus') });
const Target = z.object({ refId: z.string().min(1), expr: z.string().min(1), datasource: Datasource.optional() });
const GridPos = z.object({ h: z.number().positive(), w: z.number().positive().max(24), x: z.number().min(0), y: z.number().min(0) });
const Panel = z.object({
  id: z.number().int().positive(),
  type: z.string().refine((type) => type !== 'row'),
  title: z.string().min(1),
  datasource: Datasource,
  gridPos: GridPos,
  targets: z.array(Target).min(1),
});
const Row = z.object({ id: z.number().int().positive(), type: z.literal('row'), title: z.string(), gridPos: GridPos, panels: z.array(Panel) });
const Variable = z.object({ name: z.string().min(1), type: z.string(), query: z.union([z.string(), z.object({ query: z.string() })]).optional() });
const Dashboard = z.object({
  uid: z.string().min(1).max(40),
  title: z.string().min(1),
  schemaVersion: z.number().int().min(36),
  templating: z.object({ list: z.array(Variable) }),
  // Rows and panels are told apart by `type` first, so a broken panel's error names its own fields.
  panels: z.array(z.custom<z.infer<typeof Row> | z.infer<typeof Panel>>((panel) => panel !== null && typeof panel === 'object'))
    .min(1)
    .superRefine((panels, context) => {
      panels.forEach((panel, index) => {
        const schema = (panel as { type?: unknown }).type === 'row' ? Row : Panel;
        const result = schema.safeParse(panel);
        const title = (panel as { title?: unknown }).title;
        for (const issue of result.error?.issues ?? []) {
          context.addIssue({ code: 'custom', path: [index, ...issue.path], message: `panel "${String(title)}": ${issue.message}` });
        }
      });
    }),
});
type Dashboard = z.infer<typeof Dashboard>;

const files = readdirSync(DIR).filter((file) => file.endsWith('.json')).sort();
const dashboards = files.map((file) => ({ file, json: JSON.parse(readFileSync(path.join(DIR, file), 'utf8')) as unknown }));

/** Every panel, rows' children included (a collapsed row keeps its panels inside it). */
const panelsOf = (dashboard: Dashboard) => dashboard.panels.flatMap((panel) => ('targets' in panel ? [panel] : [panel, ...panel.panels]));

/** A variable's `label_values(selector, label)` query: the selector is a query too. */
const variableSelector = (query: string) => /^label_values\((.+),\s*\w+\s*\)$/.exec(query.trim())?.[1];

interface Query { where: string; expr: string }
function queriesOf(file: string, dashboard: Dashboard): Query[] {
  const panels = panelsOf(dashboard).flatMap((panel) =>
    'targets' in panel ? panel.targets.map((target) => ({ where: `${file} › ${panel.title} › ${target.refId}`, expr: target.expr })) : [],
  );
  const variables = dashboard.templating.list.flatMap((variable) => {
    const selector = variableSelector(typeof variable.query === 'string' ? variable.query : (variable.query?.query ?? ''));
    return selector ? [{ where: `${file} › $${variable.name}`, expr: selector }] : [];
  });
  return [...panels, ...variables];
}

const parsed = dashboards.map(({ file, json }) => ({ file, result: Dashboard.safeParse(json) }));
const queries = parsed.flatMap(({ file, result }) => (result.success ? queriesOf(file, result.data) : []));

it('has the on-sale overview, saga and queue dashboards, each with its own uid', () => {
  expect(files).toEqual(expect.arrayContaining(['onsale-overview.json', 'saga.json', 'queue.json']));
  const uids = parsed.map(({ result }) => result.data?.uid);
  expect(new Set(uids).size).toBe(uids.length);
});

it.each(parsed.map(({ file, result }) => [file, result] as const))('%s is a dashboard Grafana can provision', (_file, result) => {
  // Then every panel names the provisioned datasource and has a query (the schema's own message says which not)
  expect(result.error?.issues ?? []).toEqual([]);
  const dashboard = result.data!;
  const panels = panelsOf(dashboard);
  const ids = panels.map((panel) => panel.id);
  expect({ duplicatePanelIds: ids.filter((id, index) => ids.indexOf(id) !== index) }).toEqual({ duplicatePanelIds: [] });
  for (const panel of panels) {
    if (!('targets' in panel)) continue;
    const refIds = panel.targets.map((target) => target.refId);
    expect({ panel: panel.title, duplicateRefIds: refIds.length - new Set(refIds).size }).toEqual({ panel: panel.title, duplicateRefIds: 0 });
  }
  // And every variable a query uses is defined on the dashboard
  const defined = dashboard.templating.list.map((variable) => variable.name);
  const used = [...new Set(queriesOf('', dashboard).flatMap((query) => variablesIn(query.expr)))];
  expect(used.filter((name) => !defined.includes(name))).toEqual([]);
});

describe('on the local Prometheus', () => {
  beforeAll(async () => {
    const ready = await fetch(`${PROMETHEUS_URL}/-/ready`).catch((error: unknown) => error as Error);
    if (ready instanceof Error || !ready.ok) {
      throw new Error(`no Prometheus answers on ${PROMETHEUS_URL} (bash infra/stack/up.sh starts it, unless PROMETHEUS=0; PROMETHEUS_URL names another)`);
    }
  });

  const Answer = z.object({ status: z.enum(['success', 'error']), errorType: z.string().optional(), error: z.string().optional() });

  it.each(queries.map((query) => [query.where, query.expr] as const))('%s runs: %s', async (_where, expr) => {
    const response = await fetch(`${PROMETHEUS_URL}/api/v1/query`, { method: 'POST', body: new URLSearchParams({ query: asPrometheusQuery(expr) }) });
    const answer = Answer.parse(await response.json());
    expect({ status: answer.status, error: answer.error }).toEqual({ status: 'success', error: undefined });
  });
});

it('reads only metrics that some process of the running system exposes', async () => {
  const { env } = testSystem();
  const pages = await Promise.all(SERVICES.map(async (service) => {
    const response = await fetch(metricsUrl(service, env));
    if (!response.ok) throw new Error(`${service.name}'s /metrics answered ${response.status}`);
    return response.text();
  }));
  const exposed = new Set([...PROMETHEUS_SERIES, ...pages.flatMap((page) => [...exposedNames(page)])]);

  const unknown = queries.flatMap(({ where, expr }) => metricNames(expr).filter((name) => !exposed.has(name)).map((name) => `${name} (${where})`));

  expect(queries.length).toBeGreaterThan(0);
  expect(unknown).toEqual([]);
});
