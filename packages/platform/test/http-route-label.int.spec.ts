import { SERVICES, metricsUrl } from '../../../infra/services';
import { testSystem } from '@ticketing/test-support';

/*
 * The label as Prometheus sees it on a running process: a GraphQL POST is route="/graphql"
 * (it used to be "other": Express strips the mount point from req.path), and every path the
 * process does not serve shares the one "other" series.
 */

const user = SERVICES.find((service) => service.name === 'user')!;

/** The request count of one (route, method, status) series on user's /metrics, 0 before the first. */
async function requests(route: string, method: string, status: number): Promise<number> {
  const text = await (await fetch(metricsUrl(user, testSystem().env))).text();
  const labels = `[^}]*route="${route.replace(/[/]/g, '\\/')}"[^}]*`;
  const line = text
    .split('\n')
    .find((candidate) => new RegExp(`^http_request_duration_seconds_count\\{${labels}\\} `).test(candidate) && candidate.includes(`method="${method}"`) && candidate.includes(`status="${status}"`));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

it('labels each request of a subgraph by the route it hit, and everything unknown as "other"', async () => {
  const base = testSystem().serviceUrls['user']!;
  const before = {
    graphql: await requests('/graphql', 'POST', 200),
    health: await requests('/health', 'GET', 200),
    ready: await requests('/ready', 'GET', 200),
    other: await requests('other', 'GET', 404),
    metrics: await requests('/metrics', 'GET', 200),
  };

  // When three GraphQL POSTs, one /health, one /ready and two unknown paths arrive
  for (let i = 0; i < 3; i++) {
    const response = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });
    expect(response.status).toBe(200);
  }
  expect((await fetch(`${base}/health`)).status).toBe(200);
  expect((await fetch(`${base}/ready`)).status).toBe(200);
  expect((await fetch(`${base}/no-such-route`)).status).toBe(404);
  expect((await fetch(`${base}/another/unknown?x=1`)).status).toBe(404);

  // Then each series moved by exactly its own requests (the five scrapes above and below count on /metrics)
  expect(await requests('/graphql', 'POST', 200)).toBe(before.graphql + 3);
  expect(await requests('/health', 'GET', 200)).toBe(before.health + 1);
  expect(await requests('/ready', 'GET', 200)).toBe(before.ready + 1);
  expect(await requests('other', 'GET', 404)).toBe(before.other + 2);
  expect(await requests('/metrics', 'GET', 200)).toBeGreaterThanOrEqual(before.metrics + 5);
});
