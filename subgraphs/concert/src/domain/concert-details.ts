import { isInvalidInput, parseLabel, type Concert, type InvalidInput } from './catalog';
import type { CatalogEvent } from './catalog-events';

/** What an admin says about a concert: what is played, by whom, where. */
export interface ConcertDetails {
  title: string;
  artist: string;
  venue: string;
}

/** The details to change; absent ones keep their current value. */
export type ConcertDetailsChange = Partial<ConcertDetails>;

const FIELDS = ['title', 'artist', 'venue'] as const;

/** A new concert's details, trimmed; every field is required. */
export function validateNewConcert(request: ConcertDetails): { kind: 'Valid'; details: ConcertDetails } | InvalidInput {
  const title = parseLabel(request.title, 'input.title');
  if (isInvalidInput(title)) return title;
  const artist = parseLabel(request.artist, 'input.artist');
  if (isInvalidInput(artist)) return artist;
  const venue = parseLabel(request.venue, 'input.venue');
  if (isInvalidInput(venue)) return venue;
  return { kind: 'Valid', details: { title, artist, venue } };
}

/** A change of details, trimmed; null or absent keeps the current value. */
export function validateConcertChange(request: { [F in keyof ConcertDetails]?: string | null }): { kind: 'Valid'; change: ConcertDetailsChange } | InvalidInput {
  const change: ConcertDetailsChange = {};
  for (const field of FIELDS) {
    const given = request[field];
    if (given == null) continue;
    const value = parseLabel(given, `input.${field}`);
    if (isInvalidInput(value)) return value;
    change[field] = value;
  }
  return { kind: 'Valid', change };
}

export type ConcertChangeOutcome =
  | { kind: 'ConcertChanged'; concert: Concert; events: CatalogEvent[] }
  /** Every given value is the current one: nothing to write and nothing to publish. */
  | { kind: 'ConcertUnchanged'; concert: Concert };

/** Applies a validated change; `ConcertChanged` carries only the fields whose value really differs. */
export function changeConcert(current: Concert, change: ConcertDetailsChange): ConcertChangeOutcome {
  const changed: ConcertDetailsChange = {};
  for (const field of FIELDS) {
    const value = change[field];
    if (value !== undefined && value !== current[field]) changed[field] = value;
  }
  if (Object.keys(changed).length === 0) return { kind: 'ConcertUnchanged', concert: current };
  return {
    kind: 'ConcertChanged',
    concert: { ...current, ...changed },
    events: [{ type: 'ConcertChanged', payload: { concertId: current.id, ...changed } }],
  };
}
