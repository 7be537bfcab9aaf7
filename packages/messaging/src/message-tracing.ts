import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';
import { CORRELATION_ID_ATTRIBUTE } from '@ticketing/platform';

/**
 * Kafka spans by hand, with the W3C trace context (`traceparent`, `tracestate`) in message
 * headers. The kafkajs instrumentation would inject the context active at `send`, which in the
 * outbox relay is the relay's loop, not the request that wrote the event: here the context
 * travels through the outbox row instead (appendToOutbox stores it, the relay's send span is its
 * child, the consumer's process span is the send span's child). Without tracing every
 * call below is a no-op of the OpenTelemetry API: nothing is injected, nothing recorded.
 */
const tracer = trace.getTracer('@ticketing/messaging');

/** What a span needs of a consumed message (kafka-bus's IncomingMessage, which imports this file). */
interface ConsumedMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  headers: Record<string, string>;
}

/** The header naming the event's correlation id (appendToOutbox writes it from the envelope). */
export const CORRELATION_ID_HEADER = 'correlation-id';

/** The active trace context as headers: stored with outbox rows written inside a request or a handler. */
export function traceContextHeaders(): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier;
}

const parentOf = (headers: Record<string, string>): Context => propagation.extract(ROOT_CONTEXT, headers);

function messageAttributes(topic: string, key: string | null, headers: Record<string, string>): Attributes {
  const correlationId = headers[CORRELATION_ID_HEADER];
  const eventType = headers['event-type'];
  return {
    'messaging.system': 'kafka',
    'messaging.destination.name': topic,
    ...(key !== null && { 'messaging.kafka.message.key': key }),
    ...(eventType !== undefined && { 'ticketing.event.type': eventType }),
    ...(correlationId !== undefined && { [CORRELATION_ID_ATTRIBUTE]: correlationId }),
  };
}

/**
 * A producer span for one outbox row, child of the context stored with it, and the message with
 * that span's context in its headers in place of the stored one. End it once Kafka answered.
 */
export function startPublishSpan<M extends { key: string | null; headers?: Record<string, string> }>(topic: string, message: M): { span: Span; message: M } {
  const headers = { ...message.headers };
  const parent = parentOf(headers);
  const span = tracer.startSpan(`send ${topic}`, { kind: SpanKind.PRODUCER }, parent);
  if (span.isRecording()) span.setAttributes({ ...messageAttributes(topic, message.key, headers), 'messaging.operation.type': 'send' });
  propagation.inject(trace.setSpan(parent, span), headers);
  return { span, message: { ...message, headers } };
}

/**
 * A consumer span for one message. Its attributes are built only for a span that records: with
 * tracing off (the default) every message of every consumer built them for nothing, a few percent
 * of a consumer's CPU in the on-sale profile (issue 10).
 */
function startProcessSpan(message: ConsumedMessage, groupId: string): { span: Span; parent: Context } {
  const parent = parentOf(message.headers);
  const span = tracer.startSpan(`process ${message.topic}`, { kind: SpanKind.CONSUMER }, parent);
  if (span.isRecording()) {
    span.setAttributes({
      ...messageAttributes(message.topic, message.key, message.headers),
      'messaging.operation.type': 'process',
      'messaging.consumer.group.name': groupId,
      'messaging.destination.partition.id': String(message.partition),
      'messaging.kafka.offset': Number(message.offset),
    });
  }
  return { span, parent };
}

/** Ends a span with the outcome of the work it covered. */
export function endSpan(span: Span, error?: unknown): void {
  if (error !== undefined) {
    span.recordException(error instanceof Error ? error : String(error));
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
  }
  span.end();
}

/**
 * Runs the handling of one message inside a consumer span that continues the producer's trace,
 * so whatever the handler logs carries that trace and whatever it appends to its outbox carries
 * it on to the next consumer.
 */
export async function withProcessSpan<T>(message: ConsumedMessage, groupId: string, handle: () => Promise<T>): Promise<T> {
  const { span, parent } = startProcessSpan(message, groupId);
  try {
    const result = await context.with(trace.setSpan(parent, span), handle);
    endSpan(span);
    return result;
  } catch (error) {
    endSpan(span, error);
    throw error;
  }
}

/**
 * One consumer span per message of a batch handled as a whole (one write for all of them): each
 * continues its own message's trace and lasts as long as the batch's handling.
 */
export async function withProcessSpans<T>(messages: readonly ConsumedMessage[], groupId: string, handle: () => Promise<T>): Promise<T> {
  const spans = messages.map((message) => startProcessSpan(message, groupId).span);
  try {
    const result = await handle();
    for (const span of spans) endSpan(span);
    return result;
  } catch (error) {
    for (const span of spans) endSpan(span, error);
    throw error;
  }
}
