import client from 'prom-client';

/** One registry per process, with Node's default metrics and the HTTP histogram every service shares. */
export function createMetrics(service: string) {
  const registry = new client.Registry();
  registry.setDefaultLabels({ service });
  client.collectDefaultMetrics({ register: registry });
  const httpDuration = new client.Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const graphqlErrors = new client.Counter({
    name: 'graphql_errors_total',
    help: 'GraphQL errors returned to callers, by extensions.code',
    labelNames: ['code'] as const,
    registers: [registry],
  });
  return { registry, httpDuration, graphqlErrors };
}

export type Metrics = ReturnType<typeof createMetrics>;
export { client as prometheus };
