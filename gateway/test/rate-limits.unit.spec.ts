import type { IncomingMessage } from 'node:http';
import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import { clientIpOf } from '../src/rate-limits-client-ip';
import { credentialFieldCounts } from '../src/rate-limits.plugin';

const countsOf = (source: string) => {
  const document = parse(source);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  return credentialFieldCounts(document, operation);
};

describe('credential fields in an operation', () => {
  it('counts each aliased logIn as its own password check', () => {
    expect(countsOf('mutation { a: logIn(email: "a", password: "p") { token } b: logIn(email: "b", password: "p") { token } }')).toEqual({ logIn: 2, signUp: 0 });
  });

  it('counts fields that graphql-js merges (one response key) once', () => {
    expect(countsOf('mutation { logIn(email: "a", password: "p") { token } logIn(email: "a", password: "p") { user { id } } }')).toEqual({ logIn: 1, signUp: 0 });
  });

  it('finds them through inline fragments and fragment spreads', () => {
    const source = `
      mutation { ...Guesses ... on Mutation { c: logIn(email: "c", password: "p") { token } } }
      fragment Guesses on Mutation { a: logIn(email: "a", password: "p") { token } s: signUp(input: { email: "x", password: "p", name: "n" }) { token } }`;
    expect(countsOf(source)).toEqual({ logIn: 2, signUp: 1 });
  });

  it('ignores queries, and fields named alike deeper down', () => {
    expect(countsOf('query { logIn }')).toEqual({ logIn: 0, signUp: 0 });
    expect(countsOf('mutation { holdSeats { logIn } }')).toEqual({ logIn: 0, signUp: 0 });
  });
});

describe('the client address of a WebSocket upgrade', () => {
  const upgrade = (remoteAddress: string, forwardedFor?: string) =>
    ({ socket: { remoteAddress }, headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {} }) as unknown as IncomingMessage;
  const loopback = (address: string) => address === '127.0.0.1';

  it('is the socket peer when no proxy is trusted, whatever X-Forwarded-For claims', () => {
    expect(clientIpOf(upgrade('203.0.113.9', '198.51.100.1'), () => false)).toBe('203.0.113.9');
  });

  it('walks X-Forwarded-For from the nearest hop to the first untrusted address', () => {
    expect(clientIpOf(upgrade('127.0.0.1', '198.51.100.1, 127.0.0.1'), loopback)).toBe('198.51.100.1');
    expect(clientIpOf(upgrade('127.0.0.1', 'spoofed, 198.51.100.1'), loopback)).toBe('198.51.100.1');
  });

  it('honours a hop count', () => {
    expect(clientIpOf(upgrade('10.0.0.1', '198.51.100.7, 10.0.0.2'), (_address, hop) => hop < 1)).toBe('10.0.0.2');
  });
});
