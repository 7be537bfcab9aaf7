import type { IncomingMessage, RequestOptions } from 'node:http';
import { createRequire } from 'node:module';
import { OTLPTraceExporter as OtlpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

/** Probes and scrapes, not work: no trace for them. */
const UNTRACED_PATHS = new Set(['/health', '/ready', '/metrics']);

/**
 * The OpenTelemetry SDK, loaded by tracing.ts only when tracing is on (these modules take
 * about 150 ms to load, which a process without tracing should not pay at start).
 *
 * Export is OTLP over HTTP with protobuf bodies by default: the OTLP spec's default protocol,
 * accepted on :4318 by the Collector, Jaeger, Tempo and most vendors, without the gRPC stack
 * (@grpc/grpc-js and its own connection management) in every process.
 * `OTEL_EXPORTER_OTLP_PROTOCOL=http/json` sends JSON instead (a receiver can read it without a
 * protobuf decoder; the tracing integration spec uses it). Batching, endpoint, headers and
 * timeouts follow the standard `OTEL_BSP_*` and `OTEL_EXPORTER_OTLP_*` variables.
 *
 * Instrumented: incoming HTTP (server spans; W3C `traceparent`/`tracestate` extracted),
 * outgoing node:http (the gateway's subgraph calls) and outgoing `fetch` (undici: every other
 * service-to-service call), both as client spans with the context injected. Kafka gets manual spans in @ticketing/messaging: the trace
 * context must travel through the outbox table, which no Kafka client instrumentation knows.
 */
export function startTracerProvider(serviceName: string): () => Promise<void> {
  const env = process.env;
  const protocol = env['OTEL_EXPORTER_OTLP_TRACES_PROTOCOL'] ?? env['OTEL_EXPORTER_OTLP_PROTOCOL'] ?? 'http/protobuf';
  if (protocol !== 'http/protobuf' && protocol !== 'http/json') {
    throw new Error(`OTEL_EXPORTER_OTLP_PROTOCOL=${protocol} is not supported here: use http/protobuf (the default) or http/json`);
  }
  const exporter = protocol === 'http/json' ? new OtlpJsonExporter() : new OtlpProtobufExporter();
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': env['OTEL_SERVICE_NAME'] ?? serviceName }),
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  // AsyncLocalStorage context manager and the W3C trace-context + baggage propagators.
  provider.register();
  const exporterHosts = new Set(
    [env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'], env['OTEL_EXPORTER_OTLP_ENDPOINT']].flatMap((endpoint) => {
      if (!endpoint) return [];
      const url = new URL(endpoint);
      return [`${url.hostname}:${url.port || (url.protocol === 'https:' ? '443' : '80')}`];
    }),
  );
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request: IncomingMessage) => UNTRACED_PATHS.has((request.url ?? '').split('?')[0] ?? ''),
        // Outgoing node:http calls too: the gateway's subgraph calls use http.request (its lean
        // fetcher). The exporter's own requests run with tracing suppressed; its endpoint is also
        // ignored by host here, so spans are never exported about exporting spans.
        ignoreOutgoingRequestHook: (request: RequestOptions) => exporterHosts.has(`${request.hostname ?? request.host ?? ''}:${request.port ?? ''}`),
      }),
      new UndiciInstrumentation(),
    ],
  });
  // node:http is loaded before this runs (express comes with the platform package), and the
  // instrumentation patches a module when it is next required. It patches the shared module
  // object and `Server.prototype.emit` in place, so requiring it once more here instruments
  // every server the process creates. (undici needs no such step: it reports through
  // diagnostics channels.)
  const load = createRequire(__filename);
  load('node:http');
  load('node:https');
  return () => provider.shutdown();
}
