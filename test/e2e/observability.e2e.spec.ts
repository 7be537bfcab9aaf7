import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import {
  addSeats,
  admitFreely,
  admittedFan,
  BOOKING_FIELDS,
  bookingReaches,
  chargeWallet,
  closeDatabases,
  eventually,
  gql,
  openSchedule,
  startIsolatedSystem,
  stopIsolatedSystem,
  useTestSystem,
  type AdmittedFan,
  type IsolatedSystem,
} from '@ticketing/test-support';

/**
 * Following one fan through the system as an operator would. Every process exports its spans
 * over OTLP/HTTP (JSON) to a receiver in this test, and logs at debug into its own file: one
 * payBooking must come back as one trace (gateway → booking over HTTP → Kafka through the
 * outbox → payment → Kafka → booking's confirmation → the next event), and one request's
 * x-request-id must be the `correlationId` of its log lines in every process it reached.
 */

interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  attributes: Record<string, string | number | boolean>;
}

/** OTLP's span kinds as the JSON encoding numbers them. */
const KIND = { server: 2, client: 3, producer: 4, consumer: 5 } as const;

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  boolValue?: boolean;
  doubleValue?: number;
}
interface OtlpAttribute {
  key: string;
  value: OtlpValue;
}
interface OtlpExport {
  resourceSpans?: Array<{
    resource?: { attributes?: OtlpAttribute[] };
    scopeSpans?: Array<{
      spans?: Array<{ traceId: string; spanId: string; parentSpanId?: string; name: string; kind: number; attributes?: OtlpAttribute[] }>;
    }>;
  }>;
}

const valueOf = (value: OtlpValue) => value.stringValue ?? (value.intValue !== undefined ? Number(value.intValue) : undefined) ?? value.boolValue ?? value.doubleValue ?? '';
const attributesOf = (attributes: OtlpAttribute[] = []) => Object.fromEntries(attributes.map(({ key, value }) => [key, valueOf(value)]));

/** An OTLP/HTTP receiver (JSON encoding) keeping every span it is sent, in memory. */
async function startOtlpReceiver(): Promise<{ url: string; spans: ReceivedSpan[]; close: () => Promise<void> }> {
  const spans: ReceivedSpan[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/traces' || !String(req.headers['content-type']).startsWith('application/json')) {
        res.writeHead(415).end();
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpExport;
      for (const resourceSpans of body.resourceSpans ?? []) {
        const service = String(attributesOf(resourceSpans.resource?.attributes)['service.name']);
        for (const scope of resourceSpans.scopeSpans ?? []) {
          for (const span of scope.spans ?? []) {
            spans.push({ service, traceId: span.traceId, spanId: span.spanId, parentSpanId: span.parentSpanId ?? '', name: span.name, kind: span.kind, attributes: attributesOf(span.attributes) });
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    spans,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
let system: IsolatedSystem;
let scheduleId: string;
let fan: AdmittedFan;
let seatIds: string[];
/** The first test's hold, which the second pays for. */
let heldBookingId: string;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  system = await startIsolatedSystem({
    label: 'observability',
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      // Batches leave every 100 ms instead of 5 s, so the test waits less for them.
      OTEL_BSP_SCHEDULE_DELAY: '100',
      LOG_LEVEL: 'debug',
    },
  });
  useTestSystem(system);
  scheduleId = await openSchedule();
  seatIds = await addSeats(scheduleId, 2, 20_000);
  await admitFreely(scheduleId);
  fan = await admittedFan(scheduleId);
  await chargeWallet(fan, 100_000);
}, 180_000);

afterAll(async () => {
  await closeDatabases();
  if (system) await stopIsolatedSystem(system);
  await receiver?.close();
});

const spansOf = (traceId: string) => receiver.spans.filter((span) => span.traceId === traceId);
const correlated = (correlationId: string) => (span: ReceivedSpan) => span.attributes['ticketing.correlation_id'] === correlationId;
const isEvent = (type: string) => (span: ReceivedSpan) => span.attributes['ticketing.event.type'] === type;

/** The gateway's server span of the request sent with this x-request-id: the root of its trace. */
const gatewayEntry = (correlationId: string) =>
  eventually(async () => receiver.spans.find((span) => span.service === 'gateway' && span.kind === KIND.server && correlated(correlationId)(span)), 30_000, `the gateway's span of ${correlationId}`);

/** Every line of a service's log in this run, parsed: a line that is not JSON fails the test. */
function logLines(service: string): Array<Record<string, unknown>> {
  return readFileSync(path.join(system.logDir, `${service}.log`), 'utf8')
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`${service} wrote a line that is not JSON: ${line}`);
      }
    });
}

describe('one fan followed through traces and logs', () => {
  it('a hold carries its request id to the subgraphs booking calls, under the gateway’s trace', async () => {
    const holdId = `hold-${randomUUID()}`;
    const held = await gql<{ holdSeats: { id: string } }>(
      `mutation H($s: ID!, $seats: [ID!]!, $q: String!) { holdSeats(scheduleId: $s, seatIds: $seats, queueToken: $q) { ${BOOKING_FIELDS} } }`,
      { s: scheduleId, seats: seatIds, q: fan.queueToken },
      { token: fan.token, headers: { 'x-request-id': holdId } },
    );
    expect(held.errors).toBeUndefined();
    heldBookingId = held.data!.holdSeats.id;

    const root = await gatewayEntry(holdId);
    expect(root.parentSpanId).toBe('');
    // booking asked queue (admission) and concert (seat prices) on the fan's behalf: the id and the trace went along.
    const downstream = await eventually(async () => {
      const servers = receiver.spans.filter((span) => span.kind === KIND.server && correlated(holdId)(span));
      const services = new Set(servers.map((span) => span.service));
      return ['gateway', 'booking', 'queue', 'concert'].every((service) => services.has(service)) && servers;
    }, 30_000, 'server spans of the hold in gateway, booking, queue and concert');
    expect(new Set(downstream.map((span) => span.traceId))).toEqual(new Set([root.traceId]));
  });

  it('one payBooking is one trace: gateway, booking, Kafka, payment, and booking’s confirmation with the event it appends', async () => {
    const bookingId = heldBookingId;
    const correlationId = `pay-${randomUUID()}`;
    const paid = await gql(
      `mutation P($b: ID!, $k: String!) { payBooking(bookingId: $b, idempotencyKey: $k) { ${BOOKING_FIELDS} } }`,
      { b: bookingId, k: randomUUID() },
      { token: fan.token, headers: { 'x-request-id': correlationId } },
    );
    expect(paid.errors).toBeUndefined();
    await bookingReaches(fan, bookingId, ['CONFIRMED']);

    const root = await gatewayEntry(correlationId);
    const traceId = root.traceId;
    // The whole chain, each link found in the one trace; waited for, as spans arrive in batches.
    const chain = await eventually(
      async () => {
        const spans = spansOf(traceId);
        const find = (service: string, kind: number, ...tests: Array<(span: ReceivedSpan) => boolean>) =>
          spans.find((span) => span.service === service && span.kind === kind && tests.every((test) => test(span)));
        const links = {
          gatewayCall: find('gateway', KIND.client),
          bookingEntry: find('booking', KIND.server),
          sendPaymentRequested: find('booking', KIND.producer, isEvent('PaymentRequested')),
          paymentConsumes: find('payment', KIND.consumer, isEvent('PaymentRequested')),
          sendPaymentCompleted: find('payment', KIND.producer, isEvent('PaymentCompleted')),
          bookingConsumes: find('booking', KIND.consumer, isEvent('PaymentCompleted')),
          sendBookingConfirmed: find('booking', KIND.producer, isEvent('BookingConfirmed')),
          archived: find('history', KIND.consumer, isEvent('BookingConfirmed')),
        };
        return Object.values(links).every(Boolean) && (links as { [K in keyof typeof links]: ReceivedSpan });
      },
      30_000,
      `the spans of payBooking in trace ${traceId}`,
    );

    // Parent links: each hop is a child of the one before, across processes.
    expect(root.parentSpanId).toBe('');
    expect(chain.bookingEntry.parentSpanId).toBe(chain.gatewayCall.spanId);
    expect(chain.paymentConsumes.parentSpanId).toBe(chain.sendPaymentRequested.spanId);
    expect(chain.bookingConsumes.parentSpanId).toBe(chain.sendPaymentCompleted.spanId);
    // The event booking appends while handling PaymentCompleted continues the consumer's span.
    expect(chain.sendBookingConfirmed.parentSpanId).toBe(chain.bookingConsumes.spanId);
    for (const span of [chain.sendPaymentRequested, chain.paymentConsumes, chain.bookingConsumes, chain.sendBookingConfirmed]) {
      expect(span.attributes['messaging.kafka.message.key']).toBeDefined();
      expect(span.attributes['ticketing.correlation_id']).toBe(correlationId);
    }
    expect(chain.paymentConsumes.attributes['messaging.kafka.message.key']).toBe(bookingId);
    expect(chain.sendBookingConfirmed.attributes['messaging.kafka.message.key']).toBe(bookingId);

    // Logs: the same request is one correlationId in every process it reached, with the trace's id where a span was active.
    const lines = await eventually(
      async () => {
        const found = Object.fromEntries(['gateway', 'booking', 'payment'].map((service) => [service, logLines(service).filter((line) => line['correlationId'] === correlationId)]));
        const handled = (service: string, eventType: string) => found[service]!.find((line) => line['msg'] === 'event handled' && line['eventType'] === eventType);
        return found['gateway']!.length > 0 && handled('payment', 'PaymentRequested') && handled('booking', 'PaymentCompleted') && { found, handled };
      },
      30_000,
      `log lines of ${correlationId} in gateway, booking and payment`,
    );
    expect(lines.found['gateway']!.find((line) => line['msg'] === 'graphql operation')).toMatchObject({ traceId, service: 'gateway' });
    expect(lines.handled('payment', 'PaymentRequested')).toMatchObject({ traceId, spanId: chain.paymentConsumes.spanId });
    expect(lines.handled('booking', 'PaymentCompleted')).toMatchObject({ traceId, spanId: chain.bookingConsumes.spanId });
  });

  it('every line every process wrote is JSON, and none names the correlation id anything but correlationId', () => {
    const services = readdirSync(system.logDir).map((file) => file.replace(/\.log$/, ''));
    expect(services.sort()).toEqual([...system.services].sort());
    for (const service of services) {
      const lines = logLines(service);
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.filter((line) => 'requestId' in line)).toEqual([]);
    }
  });
});
