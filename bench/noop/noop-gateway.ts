/** The real gateway (same code and settings) with the no-op subgraph composed in. */
import { loadGatewayConfig } from '../../gateway/src/config';
import { startGateway } from '../../gateway/src/main';
import { stopOnSignals, createLogger } from '@ticketing/platform';
import { NOOP_SDL } from './noop-sdl';

async function main() {
  const noopUrl = process.env['NOOP_URL'] ?? 'http://127.0.0.1:4099/graphql';
  const service = await startGateway(loadGatewayConfig(), { extraSubgraphs: [{ name: 'noop', url: noopUrl, sdl: NOOP_SDL }] });
  stopOnSignals(service.stop, createLogger('noop-gateway'));
}

if (require.main === module) void main();
