/**
 * The on-sale as the history subgraph saw it: how long each event took from its transition
 * (`occurredAt`) to the store (`recordedAt`), split at the outbox relay (`published_at`, same
 * eventId), how fast events were stored while the phases produced them, and `history:verify` (the
 * CLI's own `runVerify`) once the archiver has every event of every outbox. One machine, one clock.
 */
import { Client } from 'pg';
import { EVENTS_COLLECTION, MongoClient } from '@ticketing/event-store';
import { DATABASES } from '../../infra/services';
import { loadToolsEnv, runVerify } from '../../scripts/history';
import { summarize, type LatencySummary } from '../lib/load';

/** Issue 9: the archive keeps up with the on-sale. */
export const TARGET_LAG_P99_MS = 2_000;
/** How long the audit waits for the archiver to hold every outbox event. */
export const CATCH_UP_SECONDS = 120;

export interface Window {
  from: number;
  to: number;
}

export interface WindowRates {
  seconds: number;
  /** Events whose transition happened in the window, per second. */
  producedPerSecond: number;
  /** Events the store recorded in the window, per second. */
  storedPerSecond: number;
  /** The busiest second of the store in the window. */
  peakStoredPerSecond: number;
  /** Lag of the events produced in the window. */
  lagMs: LatencySummary;
}

export interface HistoryAudit {
  /** Events in the outboxes of every service database, and how many of them the store holds. */
  produced: number;
  archived: number;
  /** Seconds waited after the saga settled until the store held every outbox event (or gave up). */
  catchUpSeconds: number;
  /** recordedAt − occurredAt of every event of the run (setup and warm-up included). */
  lagMs: LatencySummary;
  /** The same, cut at the relay: occurredAt → published_at, and published_at → recordedAt. */
  relayLegMs: LatencySummary;
  archiveLegMs: LatencySummary;
  windows: Record<string, WindowRates>;
  verify: { differences: number; lines: string[]; eventsRead: number; bookings: number; wallets: number } | { error: string };
}

interface Produced {
  eventId: string;
  publishedAt: number | null;
}

async function outboxEvents(env: Record<string, string>): Promise<Map<string, Produced>> {
  const produced = new Map<string, Produced>();
  for (const database of DATABASES) {
    const db = new Client({ connectionString: env[database.urlVar] });
    await db.connect();
    try {
      const { rows } = await db.query<{ id: string; published_at: Date | null }>('SELECT id::text AS id, published_at FROM outbox');
      for (const row of rows) produced.set(row.id, { eventId: row.id, publishedAt: row.published_at?.getTime() ?? null });
    } finally {
      await db.end();
    }
  }
  return produced;
}

interface Stored {
  eventId: string;
  occurredAt: number;
  recordedAt: number;
}

const inWindow = (at: number, window: Window) => at >= window.from && at < window.to;

function rates(stored: readonly Stored[], window: Window): WindowRates {
  const seconds = (window.to - window.from) / 1000;
  const produced = stored.filter((event) => inWindow(event.occurredAt, window));
  const recorded = stored.filter((event) => inWindow(event.recordedAt, window));
  const perSecond = new Map<number, number>();
  for (const event of recorded) {
    const second = Math.floor((event.recordedAt - window.from) / 1000);
    perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
  }
  return {
    seconds: Math.round(seconds * 10) / 10,
    producedPerSecond: Math.round(produced.length / seconds),
    storedPerSecond: Math.round(recorded.length / seconds),
    peakStoredPerSecond: Math.max(0, ...perSecond.values()),
    lagMs: summarize(produced.map((event) => event.recordedAt - event.occurredAt)),
  };
}

export async function auditHistory(options: {
  env: Record<string, string>;
  windows: Record<string, Window>;
  log: (line: string) => void;
}): Promise<HistoryAudit> {
  const tools = loadToolsEnv({ ...process.env, ...options.env });
  const client = new MongoClient(tools.EVENT_STORE_URL, { appName: 'bench-onsale-history' });
  const events = client.db().collection(EVENTS_COLLECTION);
  const readStored = async (): Promise<Stored[]> =>
    (await events.find({}, { projection: { _id: 0, eventId: 1, occurredAt: 1, recordedAt: 1 } }).toArray()).map((document) => ({
      eventId: String(document['eventId']),
      occurredAt: Date.parse(String(document['occurredAt'])),
      recordedAt: (document['recordedAt'] as Date).getTime(),
    }));
  try {
    const started = performance.now();
    let produced = await outboxEvents(options.env);
    let stored = await readStored();
    const missing = () => {
      const ids = new Set(stored.map((event) => event.eventId));
      return [...produced.keys()].filter((id) => !ids.has(id)).length;
    };
    while (missing() > 0 && performance.now() - started < CATCH_UP_SECONDS * 1000) {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      produced = await outboxEvents(options.env);
      stored = await readStored();
    }
    const catchUpSeconds = Math.round(performance.now() - started) / 1000;
    const unarchived = missing();
    if (unarchived > 0) options.log(`  ${unarchived} outbox events still not in the store after ${CATCH_UP_SECONDS} s`);

    const relayLeg: number[] = [];
    const archiveLeg: number[] = [];
    for (const event of stored) {
      const publishedAt = produced.get(event.eventId)?.publishedAt;
      if (publishedAt === undefined || publishedAt === null) continue;
      relayLeg.push(publishedAt - event.occurredAt);
      archiveLeg.push(event.recordedAt - publishedAt);
    }

    let verify: HistoryAudit['verify'];
    try {
      const lines: string[] = [];
      const report = await runVerify({ env: tools, print: (line) => lines.push(line) });
      verify = {
        differences: report.differences.length,
        lines: lines.filter((line) => line.startsWith('  ')).map((line) => line.trim()),
        eventsRead: report.eventsRead,
        bookings: report.bookings.inStore,
        wallets: report.wallets.inStore,
      };
    } catch (error) {
      verify = { error: (error as Error).message };
    }

    return {
      produced: produced.size,
      archived: produced.size - unarchived,
      catchUpSeconds,
      lagMs: summarize(stored.map((event) => event.recordedAt - event.occurredAt)),
      relayLegMs: summarize(relayLeg),
      archiveLegMs: summarize(archiveLeg),
      windows: Object.fromEntries(Object.entries(options.windows).map(([name, window]) => [name, rates(stored, window)])),
      verify,
    };
  } finally {
    await client.close();
  }
}
