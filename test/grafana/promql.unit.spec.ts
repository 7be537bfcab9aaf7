import { asPrometheusQuery, exposedNames, metricNames, variablesIn } from './promql';

describe('reading the dashboards\' PromQL', () => {
  it('given aggregations, ranges, matchers and grouping, then it finds exactly the series names', () => {
    expect(metricNames('histogram_quantile(0.99, sum by (le, outcome) (rate(booking_saga_duration_seconds_bucket{service=~"$service"}[$__rate_interval])))'))
      .toEqual(['booking_saga_duration_seconds_bucket']);
    expect(metricNames('sum(rate(a_total[5m] offset 1h)) / on (job) group_left (x) b unless c > bool 1e3'))
      .toEqual(['a_total', 'b', 'c']);
    expect(metricNames('max(outbox_oldest_unpublished_age_seconds) without (instance) > 5 and up == 0'))
      .toEqual(['outbox_oldest_unpublished_age_seconds', 'up']);
  });

  it('given label values that look like names, then they are not taken for series', () => {
    expect(metricNames('sum(http_request_duration_seconds_count{route="/graphql", code!~"BAD_.*"}) or vector(0)'))
      .toEqual(['http_request_duration_seconds_count']);
  });

  it('given variables and interval macros, then the query Prometheus runs matches anything over a minute', () => {
    const expr = 'sum(rate(x_total{service=~"$service", job=~"${job:regex}", s=~"[[schedule]]"}[$__rate_interval]))';
    expect(asPrometheusQuery(expr)).toBe('sum(rate(x_total{service=~".+", job=~".+", s=~".+"}[1m]))');
    expect(variablesIn(expr)).toEqual(['service', 'job', 'schedule']);
  });

  it('given a /metrics page, then histograms, summaries and counters expose their sample names', () => {
    const names = exposedNames([
      '# TYPE booking_saga_duration_seconds histogram',
      '# TYPE rpc_seconds summary',
      '# TYPE legacy counter',
      '# TYPE booking_holds_total counter',
      'booking_holds_total{outcome="held",service="booking"} 3',
      'process_cpu_seconds_total 1.5',
    ].join('\n'));
    for (const name of ['booking_saga_duration_seconds_bucket', 'booking_saga_duration_seconds_count', 'rpc_seconds_sum', 'legacy_total', 'booking_holds_total', 'process_cpu_seconds_total']) {
      expect(names).toContain(name);
    }
    expect(names).not.toContain('booking_holds_total_total');
  });
});
