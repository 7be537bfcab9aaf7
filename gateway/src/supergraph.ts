import { readFileSync } from 'node:fs';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { SUBGRAPHS, type SubgraphName } from '@ticketing/contracts';
import type { GatewayConfig } from './config';

/** Where each subgraph of the registry answers, as this gateway is configured. */
export function subgraphUrls(config: GatewayConfig): Record<SubgraphName, string> {
  return Object.fromEntries(SUBGRAPHS.map((service) => [service.name, config[service.urlVar]])) as Record<SubgraphName, string>;
}

/**
 * Composes the supergraph from the subgraphs' schema files at start-up instead of
 * introspecting running subgraphs: the gateway comes up (and keeps serving the rest of the
 * graph) even while one subgraph is down, and a composition error fails the deploy, not a request.
 */
export interface ExtraSubgraph {
  name: string;
  url: string;
  sdl: string;
}

export function composeSupergraph(
  urls: Record<SubgraphName, string>,
  /** Only benchmarks add one (a trivial subgraph to measure the gateway's own cost). */
  extra: ExtraSubgraph[] = [],
  root = path.join(__dirname, '..', '..'),
): string {
  const result = composeServices([
    ...SUBGRAPHS.map((service) => ({
      name: service.name,
      url: urls[service.name],
      typeDefs: parse(readFileSync(path.join(root, service.schema), 'utf8')),
    })),
    ...extra.map(({ name, url, sdl }) => ({ name, url, typeDefs: parse(sdl) })),
  ]);
  if (result.errors) {
    throw new Error(`Supergraph composition failed:\n${result.errors.map((e) => e.message).join('\n')}`);
  }
  return result.supergraphSdl;
}
