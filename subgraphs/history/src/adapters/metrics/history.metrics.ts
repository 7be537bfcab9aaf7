import type { EventEnvelope } from '@ticketing/contracts';
import type { AppendResult } from '@ticketing/event-store';
import { prometheus, type Logger, type Metrics } from '@ticketing/platform';
import type { CheckpointStore, EventSource } from '../../application/ports';

export interface HistoryMetricsOptions {
  /** The store's head: every position up to it is reserved. */
  source: Pick<EventSource, 'highWaterMark'>;
  checkpoints: Pick<CheckpointStore, 'load'>;
  /** Every read model's projection, whether or not this instance runs it: the lag is the read model's. */
  projections: readonly string[];
  logger: Pick<Logger, 'warn'>;
  /** When an append returned: the archiving time of what it stored. */
  now?: () => Date;
  /** How long one reading of the head and the checkpoints serves every scrape. Default 1 s. */
  refreshMs?: number;
}

/**
 * The archive and its read models in Prometheus terms, on the history registry. Archiving is
 * counted from the store's own answer (only events it appended, never a duplicate of a
 * redelivery), and its lag is the event's `occurredAt` (stamped by the producer inside the
 * transaction that wrote its outbox row) to the append: outbox relay, Kafka and archiver
 * together. Projection lag is read at scrape time, so a stalled projection shows without any
 * event moving: the store's head position minus each checkpoint, one findOne each, per scrape.
 */
export function createHistoryMetrics({ registry }: Pick<Metrics, 'registry'>, options: HistoryMetricsOptions) {
  const registers = [registry];
  const now = options.now ?? (() => new Date());
  const refreshMs = options.refreshMs ?? 1_000;
  const archived = new prometheus.Counter({
    name: 'history_archived_events_total',
    help: 'Events appended to the event store by the archiver, by stream type (duplicates of a redelivery not counted)',
    labelNames: ['stream_type'] as const,
    registers,
  });
  const archiveLag = new prometheus.Histogram({
    name: 'history_archive_lag_seconds',
    help: "An event's occurredAt (its outbox write) to its append to the event store",
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600],
    registers,
  });

  let last: { at: number; reading: Promise<Array<[string, number]>> } | undefined;
  const readLag = () => {
    const at = Date.now();
    if (!last || at - last.at >= refreshMs) {
      const reading = (async () => {
        // The head first: a checkpoint read after it can only be closer, never past it.
        const head = await options.source.highWaterMark();
        return Promise.all(options.projections.map(async (name) => [name, Math.max(0, head - (await options.checkpoints.load(name)))] as [string, number]));
      })();
      last = { at, reading };
      reading.catch(() => (last = undefined));
    }
    return last.reading;
  };
  new prometheus.Gauge({
    name: 'history_projection_lag_events',
    help: "The event store's head position minus a projection's checkpoint: positions the read model has not applied yet",
    labelNames: ['projection'] as const,
    registers,
    async collect() {
      try {
        for (const [projection, lag] of await readLag()) this.set({ projection }, lag);
      } catch (error) {
        // A scrape must not fail because the store is away; the gauge keeps its last values.
        options.logger.warn({ err: error }, 'projection lag could not be read');
      }
    },
  });

  return {
    /** After an archiver's append: counts what the store appended, and how long each event took to get there. */
    appended(envelopes: readonly EventEnvelope[], result: Pick<AppendResult, 'appended'>): void {
      if (result.appended.length === 0) return;
      const archivedAt = now().getTime();
      const occurredAt = new Map(envelopes.map((envelope) => [envelope.eventId, envelope.occurredAt]));
      for (const event of result.appended) {
        archived.inc({ stream_type: event.stream.type });
        const occurred = Date.parse(occurredAt.get(event.eventId) ?? '');
        if (Number.isFinite(occurred)) archiveLag.observe(Math.max(0, (archivedAt - occurred) / 1000));
      }
    },
  };
}

export type HistoryMetrics = ReturnType<typeof createHistoryMetrics>;
