import { describeIssues, type HistoricVersions } from '@ticketing/contracts';
import type { StoredEvent } from './stored-event';

export type Upcast = (event: StoredEvent) => StoredEvent;

export class UpcastError extends Error {
  constructor(
    readonly eventId: string,
    message: string,
  ) {
    super(`cannot upcast event ${eventId}: ${message}`);
    this.name = 'UpcastError';
  }
}

/**
 * Turns stored old versions into the current shape on read, one version step at a time, with
 * the same `HistoricVersions` table the contracts package uses for Kafka (`HISTORIC`), so an
 * event changes version in one place. An event with no older entry is returned as it is.
 * A stored payload that does not match its own old schema throws: that is corruption or a
 * wrong upcaster, and a replay must stop rather than fold it silently.
 */
export function createUpcaster(historic: HistoricVersions): Upcast {
  return (event) => {
    const versions = Object.hasOwn(historic, event.type) ? historic[event.type] : undefined;
    if (!versions) return event;
    let { schemaVersion, payload } = event;
    for (let older = versions[schemaVersion]; older; older = versions[schemaVersion]) {
      const parsed = older.payload.safeParse(payload);
      if (!parsed.success) throw new UpcastError(event.eventId, describeIssues(parsed.error, `payload(v${schemaVersion})`));
      payload = older.upcast(parsed.data);
      schemaVersion += 1;
    }
    return schemaVersion === event.schemaVersion ? event : { ...event, schemaVersion, payload };
  };
}
