/**
 * Demo data (API.md): the admin account and the demo catalog, each written by the subgraph that
 * owns it into its own database. Creates only what is missing, so it is safe on every start.
 */
import { seedAdminAccount } from '../subgraphs/user/src/seed';
import { seedConcertCatalog } from '../subgraphs/concert/src/seed';

async function main() {
  console.log(`[seed] admin account: ${await seedAdminAccount()}`);
  console.log(`[seed] demo catalog: ${await seedConcertCatalog()}`);
}

main().catch((error: unknown) => {
  console.error('[seed] failed:', error);
  process.exit(1);
});
