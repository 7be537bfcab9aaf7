import { freePort } from '../src/isolated-system';

/**
 * One isolated system asks for fourteen ports before any of its services binds one; a port handed
 * out twice put two services on it, and one died with EADDRINUSE (a CI failure of 2026-12-04).
 */
describe('freePort', () => {
  it('never hands out a port twice, and only ports below the ephemeral range outgoing connections take theirs from', async () => {
    const ports: number[] = [];
    for (let i = 0; i < 300; i += 1) ports.push(await freePort());
    expect(new Set(ports).size).toBe(ports.length);
    expect(ports.every((port) => port >= 20_000 && port < 32_768)).toBe(true);
  });
});
