import { routeLabel } from '../src/http-metrics';

describe('the route label of an HTTP request', () => {
  it.each([
    ['/graphql', '/graphql'],
    ['/graphql?query=%7B__typename%7D', '/graphql'],
    ['/graphql/', '/graphql'],
    ['/health', '/health'],
    ['/ready', '/ready'],
    ['/metrics', '/metrics'],
    ['/playground', '/playground'],
  ])('given %s, it is the route itself (%s)', (url, label) => expect(routeLabel(url)).toBe(label));

  it.each(['/', '/graphql/extra', '/wp-admin/setup.php', '/GRAPHQL', '/health/../ready', '/x/y/z', ''])(
    'given a path it does not serve (%s), it is "other", so probes cannot add series',
    (url) => expect(routeLabel(url)).toBe('other'),
  );
});
