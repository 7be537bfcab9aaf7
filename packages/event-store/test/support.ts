import { randomBytes, randomUUID } from 'node:crypto';
import { createEnvelope, type AggregateType, type EventEnvelope } from '@ticketing/contracts';
import { DEFAULT_EVENT_STORE_URL, withDatabase } from '../src/connection';

/** A database of its own per spec file on the run's store server, dropped by the spec. */
export const specStoreUrl = (label: string) =>
  withDatabase(process.env['EVENT_STORE_URL'] ?? DEFAULT_EVENT_STORE_URL, `spec_${label}_${randomBytes(4).toString('hex')}`);

export function event(streamId: string, streamVersion: number, options: { type?: string; schemaVersion?: number; stream?: AggregateType; payload?: Record<string, unknown> } = {}): EventEnvelope {
  return createEnvelope({
    eventId: randomUUID(),
    type: options.type ?? 'TestHappened',
    schemaVersion: options.schemaVersion ?? 1,
    stream: { type: options.stream ?? 'booking', id: streamId },
    streamVersion,
    now: new Date('2026-12-03T10:00:00Z'),
    correlationId: 'spec',
    payload: options.payload ?? { n: streamVersion },
  });
}

/** Versions 1..n of one stream. */
export const streamOf = (streamId: string, n: number) => Array.from({ length: n }, (_, i) => event(streamId, i + 1));
