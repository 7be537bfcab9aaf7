import { SERVICES, metricsUrl } from '../../../infra/services';
import { testSystem } from '@ticketing/test-support';

/*
 * main.ts wires the business and pipeline metrics onto each process's registry: they are on its
 * /metrics from the start (the counts themselves are checked in booking-metrics.int.spec.ts,
 * messaging-metrics.int.spec.ts and payment-metrics.unit.spec.ts, where nothing else moves them).
 */

const scrape = async (name: string) => (await fetch(metricsUrl(SERVICES.find((service) => service.name === name)!, testSystem().env))).text();

it.each([
  ['booking', ['booking_holds_total', 'booking_confirmations_total', 'booking_saga_duration_seconds', 'outbox_backlog_events', 'outbox_oldest_unpublished_age_seconds', 'kafka_messages_consumed_total', 'kafka_dead_letters_total', 'kafka_consumer_group_lag_messages']],
  ['payment', ['payment_outcomes_total', 'payment_revenue_krw_total', 'outbox_backlog_events', 'kafka_messages_handled_total', 'kafka_consumer_group_lag_messages']],
])('%s exposes its metrics on /metrics', async (service, names) => {
  const text = await scrape(service);
  for (const name of names) expect(text).toContain(`# TYPE ${name} `);
  expect(text).toMatch(/^outbox_backlog_events\{[^}]*\} \d+$/m);
});
