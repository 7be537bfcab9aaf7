import { loadMetricsPort } from '../src/config';

describe('the internal metrics port of a process', () => {
  it.each([
    ['gateway', 9400],
    ['user', 9401],
    ['payment', 9405],
  ])('defaults to its own port for %s', (service, port) => expect(loadMetricsPort(service, {})).toBe(port));

  it('reads <NAME>_METRICS_PORT, 0 included (the OS picks)', () => {
    expect(loadMetricsPort('concert', { CONCERT_METRICS_PORT: '19402' })).toBe(19402);
    expect(loadMetricsPort('gateway', { GATEWAY_METRICS_PORT: '0' })).toBe(0);
  });

  it('refuses a value that is not a port, naming the variable', () => {
    expect(() => loadMetricsPort('queue', { QUEUE_METRICS_PORT: 'ninety' })).toThrow(/QUEUE_METRICS_PORT/);
    expect(() => loadMetricsPort('queue', { QUEUE_METRICS_PORT: '70000' })).toThrow(/QUEUE_METRICS_PORT/);
  });
});
