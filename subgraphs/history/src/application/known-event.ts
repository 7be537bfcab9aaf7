import { parseEvent, type KnownEvent, type ParseResult } from '@ticketing/contracts';
import type { StoredEvent } from '@ticketing/event-store';

const parsed = new WeakMap<StoredEvent, ParseResult<KnownEvent>>();

/**
 * A stored event read as a catalogue event, parsed once however many projections read it: the
 * store hands every projection the same object for an event it holds in memory, and each
 * projection parsing it again (envelope and payload schemas) was most of history's zod time in the
 * on-sale profile (issue 10). Callers read the result and never change it.
 */
export function knownEventOf(event: StoredEvent): ParseResult<KnownEvent> {
  let result = parsed.get(event);
  if (!result) {
    result = parseEvent(event);
    parsed.set(event, result);
  }
  return result;
}
