/**
 * Just enough PromQL for the dashboard spec: Prometheus's HTTP API says whether a query parses
 * and runs, but not which series it reads (2.42 has no parse_query endpoint), and an unknown
 * metric name is not an error to it, only an empty answer.
 */

/** Identifiers that name no series: binary operators, modifiers and PromQL's number words. */
const KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'inf', 'nan']);

/**
 * The metric names an expression reads: strings, label matchers, range and subquery brackets and
 * grouping clauses are dropped, and what is left that is an identifier not called like a
 * function is a series name.
 */
export function metricNames(expr: string): string[] {
  const skeleton = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const identifiers = [...skeleton.matchAll(/(?<![\w.:])[A-Za-z_:][\w:]*(?![\w:])(?!\s*\()/g)].map(([name]) => name);
  return [...new Set(identifiers.filter((name) => !KEYWORDS.has(name.toLowerCase())))];
}

/** The dashboard variables an expression uses (`$service`, `${service}`, `[[service]]`), Grafana's own `$__…` excluded. */
export function variablesIn(expr: string): string[] {
  const names = [...expr.matchAll(/\$\{(\w+)(?::\w+)?\}|\$(\w+)|\[\[(\w+)\]\]/g)].map((match) => match[1] ?? match[2] ?? match[3] ?? '');
  return [...new Set(names.filter((name) => !name.startsWith('__')))];
}

/**
 * The query Grafana would send, with every dashboard variable matching anything (`.+`, as the
 * variables' "All" value is) and the interval macros at one minute.
 */
export function asPrometheusQuery(expr: string): string {
  return expr
    .replace(/\$\{?__(?:rate_interval|interval|range)\}?/g, '1m')
    .replace(/\$\{(\w+)(?::\w+)?\}|\$(\w+)|\[\[(\w+)\]\]/g, '.+');
}

/**
 * The series names a /metrics page makes queryable: every sample's name, and for each declared
 * family the names its samples will have once it has any (a labelled histogram or counter shows
 * only its `# TYPE` line until first observed).
 */
export function exposedNames(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const line of exposition.split('\n')) {
    const declared = /^# TYPE (\S+) (\w+)$/.exec(line);
    if (declared) {
      const [, family = '', type] = declared;
      names.add(family);
      if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(family + suffix);
      if (type === 'summary') for (const suffix of ['_sum', '_count']) names.add(family + suffix);
      // OpenMetrics declares a counter without the `_total` its samples carry.
      if (type === 'counter' && !family.endsWith('_total')) names.add(`${family}_total`);
      continue;
    }
    const sample = /^([A-Za-z_:][\w:]*)[{ ]/.exec(line);
    if (sample?.[1]) names.add(sample[1]);
  }
  return names;
}

/** Series Prometheus writes itself for every target and alert, exposed by no process. */
export const PROMETHEUS_SERIES = new Set(['up', 'scrape_duration_seconds', 'scrape_samples_scraped', 'scrape_samples_post_metric_relabeling', 'scrape_series_added', 'ALERTS', 'ALERTS_FOR_STATE']);
