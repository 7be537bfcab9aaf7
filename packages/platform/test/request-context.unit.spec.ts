import { requestIdFrom } from '../src/request-context';

describe('correlation ids', () => {
  it('keeps a well-formed caller id', () => expect(requestIdFrom('abc-123_x.y')).toBe('abc-123_x.y'));
  it.each([[undefined], [''], ['has space'], ['x'.repeat(101)], ['line\nbreak']])('replaces %j with a fresh uuid', (value) => {
    expect(requestIdFrom(value)).toMatch(/^[0-9a-f-]{36}$/);
  });
});
