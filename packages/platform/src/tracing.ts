import { trace } from '@opentelemetry/api';

/** Span attribute holding the correlation id (logs' `correlationId`), to find a trace from a log line. */
export const CORRELATION_ID_ATTRIBUTE = 'ticketing.correlation_id';

let stopProvider: (() => Promise<void>) | undefined;

/** Whether this environment asks for traces: an OTLP endpoint for them is configured. */
const tracingEnabled = (): boolean => Boolean(process.env['OTEL_EXPORTER_OTLP_ENDPOINT'] || process.env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']);

/**
 * Turns on OpenTelemetry tracing for this process when `OTEL_EXPORTER_OTLP_ENDPOINT` (or the
 * traces-only `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) is set (tracing-sdk.ts says how). Otherwise
 * it loads and registers nothing: the @opentelemetry/api calls everywhere stay no-ops (no
 * context manager, no propagator), so spans cost next to nothing and no `traceparent` is written.
 * Called before the service starts (runService; the gateway's main). Reads `process.env`, as
 * the exporter does for the rest of its `OTEL_*` settings.
 */
export async function startTracing(serviceName: string): Promise<void> {
  if (stopProvider || !tracingEnabled()) return;
  // The compiled file's name: the services run from dist/ (tsx maps it to the .ts from source).
  const { startTracerProvider } = await import('./tracing-sdk.js');
  stopProvider = startTracerProvider(serviceName);
}

/**
 * Exports the spans still buffered; part of a clean stop (a no-op without tracing). A receiver
 * that cannot be reached loses those spans and does not fail the stop.
 */
export async function stopTracing(): Promise<void> {
  const stop = stopProvider;
  stopProvider = undefined;
  await stop?.().catch(() => undefined);
}

/** The active span's trace and span ids, for log lines; nothing outside a span or without tracing. */
export function activeTraceIds(): { traceId: string; spanId: string } | undefined {
  const span = trace.getActiveSpan();
  if (!span) return undefined;
  const { traceId, spanId } = span.spanContext();
  return { traceId, spanId };
}
