import { localGraphqlUrl, SUBGRAPHS } from '@ticketing/contracts';
import { gatewayConfigSchema } from '../src/config';
import { composeSupergraph, subgraphUrls } from '../src/supergraph';

const configWith = (env: Record<string, string> = {}) => gatewayConfigSchema.parse({ NODE_ENV: 'test', JWT_SECRET: 'unit-test-secret-long-enough', ...env });

describe("the gateway's subgraphs come from the service registry", () => {
  it('given no URL variables, then each subgraph is found on this host at its default port', () => {
    expect(subgraphUrls(configWith())).toEqual(Object.fromEntries(SUBGRAPHS.map((service) => [service.name, localGraphqlUrl(service.port)])));
    expect(subgraphUrls(configWith()).user).toBe('http://127.0.0.1:4001/graphql');
  });

  it("given a subgraph's <NAME>_URL, then that subgraph alone is found there", () => {
    const urls = subgraphUrls(configWith({ BOOKING_URL: 'http://booking.internal:8080/graphql' }));

    expect(urls.booking).toBe('http://booking.internal:8080/graphql');
    expect(urls.payment).toBe(localGraphqlUrl(4005));
  });

  it('given a malformed URL variable, then the configuration is refused naming it', () => {
    expect(() => configWith({ QUEUE_URL: 'not a url' })).toThrow(/QUEUE_URL/);
  });

  it('when the supergraph is composed, then every registry subgraph is one of its graphs, at its URL', () => {
    const supergraph = composeSupergraph(subgraphUrls(configWith()));

    for (const service of SUBGRAPHS) {
      expect(supergraph).toContain(`@join__graph(name: "${service.name}", url: "${localGraphqlUrl(service.port)}")`);
    }
  });
});
