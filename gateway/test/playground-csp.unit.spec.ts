import { playgroundContentSecurityPolicy } from '../src/playground/playground';

const directive = (policy: string, name: string) => policy.split('; ').find((entry) => entry.startsWith(`${name} `));

describe("the playground's Content-Security-Policy", () => {
  it('given the Host the page was asked for, allows WebSockets to that origin only', () => {
    const policy = playgroundContentSecurityPolicy('gateway.example:4000');
    expect(directive(policy, 'connect-src')).toBe("connect-src 'self' ws://gateway.example:4000 wss://gateway.example:4000");
    expect(directive(policy, 'script-src')).toBe("script-src 'self'");
    expect(policy).not.toContain('unsafe-eval');
  });

  it('given a Host that is no plain host[:port], keeps it out of the header', () => {
    for (const host of ['evil.example; script-src *', 'a b', '', undefined]) {
      const policy = playgroundContentSecurityPolicy(host);
      expect(directive(policy, 'connect-src')).toBe("connect-src 'self'");
      expect(directive(policy, 'script-src')).toBe("script-src 'self'");
    }
  });

  it('given an IPv6 host, names it bracketed as browsers send it', () => {
    expect(directive(playgroundContentSecurityPolicy('[::1]:4000'), 'connect-src')).toBe("connect-src 'self' ws://[::1]:4000 wss://[::1]:4000");
  });
});
