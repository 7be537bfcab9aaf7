import { SERVICES, metricsUrl } from '../../../infra/services';
import { testSystem } from '@ticketing/test-support';

/*
 * The user subgraph writes UserRegistered, UserRoleChanged, UserLocked… through its outbox: its
 * /metrics carries the outbox backlog and age like every other service with an outbox (read on
 * scrape from its own database; the readings themselves are checked in messaging-metrics.int.spec.ts).
 * It consumes nothing, so it has no consumer-group lag to report.
 */

it('user exposes its outbox backlog and age on /metrics', async () => {
  const user = SERVICES.find((service) => service.name === 'user')!;
  const text = await (await fetch(metricsUrl(user, testSystem().env))).text();
  expect(text).toMatch(/^outbox_backlog_events\{[^}]*service="user"[^}]*\} \d+$/m);
  expect(text).toMatch(/^outbox_oldest_unpublished_age_seconds\{[^}]*service="user"[^}]*\} [\d.e+-]+$/m);
});
