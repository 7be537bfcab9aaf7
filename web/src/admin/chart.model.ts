/**
 * The dashboard's charts as numbers: scales, axis ticks, line paths, stacked section bars and the
 * history of pushed snapshots. No React and no SVG elements here, so the unit specs cover it.
 */

/** Maps [d0, d1] onto [r0, r1]; a zero-width domain maps everything to r0 (one point, no division by 0). */
export function linearScale([d0, d1]: readonly [number, number], [r0, r1]: readonly [number, number]): (value: number) => number {
  const span = d1 - d0;
  return (value) => (span === 0 ? r0 : r0 + ((value - d0) / span) * (r1 - r0));
}

/** The smallest 1, 2 or 5 × 10ⁿ at or above `max` (at least 1): axes end on a round number. */
export function niceCeiling(max: number): number {
  if (!(max > 1)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(max));
  const step = [1, 2, 5, 10].find((factor) => factor * magnitude >= max) ?? 10;
  return step * magnitude;
}

/** `count` + 1 evenly spaced ticks from 0 to `top`, whole numbers only (duplicates dropped). */
export function ticks(top: number, count = 4): number[] {
  return [...new Set(Array.from({ length: count + 1 }, (_, index) => Math.round((top * index) / count)))];
}

export interface Point {
  /** Epoch milliseconds. */
  at: number;
  value: number;
}

/**
 * An SVG path that steps: a count holds its value until the next snapshot changes it, which is
 * what a running total is. Empty for no points; one point draws a dot-sized segment.
 */
export function stepPath(points: readonly Point[], x: (at: number) => number, y: (value: number) => number): string {
  if (points.length === 0) return '';
  const round = (n: number) => Math.round(n * 10) / 10;
  const [first, ...rest] = points;
  let path = `M${round(x(first!.at))},${round(y(first!.value))}`;
  let previous = first!;
  for (const point of rest) {
    path += ` H${round(x(point.at))}`;
    if (point.value !== previous.value) path += ` V${round(y(point.value))}`;
    previous = point;
  }
  return points.length === 1 ? `${path} h1` : path;
}

/** What the dashboard keeps of each push: enough for the time charts. */
export interface Snapshot {
  /** The event-store position the numbers include: the same position is the same snapshot. */
  position: string;
  /** When the last event counted happened, else when the push arrived (epoch ms). */
  at: number;
  seatsSold: number;
  revenue: number;
  conversion: number;
}

/** At most this many snapshots are kept: an on-sale's worth of pushes, bounded for a long watch. */
export const HISTORY_LIMIT = 500;

const positionOrder = (a: string, b: string) => (a.length - b.length) || (a < b ? -1 : a > b ? 1 : 0);

/**
 * Adds a pushed dashboard to the history the time charts draw: ordered by event-store position
 * (decimal strings, compared as numbers of any size), a position seen before replaced rather
 * than repeated (a re-read after a reconnect), the oldest dropped past HISTORY_LIMIT. Times
 * never go backwards along the line, so a late clock does not fold it.
 */
export function accumulate(history: readonly Snapshot[], next: Snapshot): Snapshot[] {
  const merged = [...history.filter((snapshot) => snapshot.position !== next.position), next].sort((a, b) => positionOrder(a.position, b.position));
  let latest = Number.NEGATIVE_INFINITY;
  const monotone = merged.map((snapshot) => {
    latest = Math.max(latest, snapshot.at);
    return snapshot.at === latest ? snapshot : { ...snapshot, at: latest };
  });
  return monotone.slice(-HISTORY_LIMIT);
}

export interface SectionCounts {
  section: string;
  seatsTotal: number;
  seatsSold: number;
  seatsHeld: number;
  seatsBlocked: number;
}

export type SegmentKind = 'sold' | 'held' | 'blocked' | 'available';

export interface Segment {
  kind: SegmentKind;
  count: number;
  /** Where the segment starts and how wide it is, as fractions of the section's bar. */
  start: number;
  width: number;
}

/** One section's bar: sold, held, blocked, then available, each a share of the section's seats. */
export function sectionSegments(section: SectionCounts): Segment[] {
  const available = Math.max(0, section.seatsTotal - section.seatsSold - section.seatsHeld - section.seatsBlocked);
  const counts: Array<[SegmentKind, number]> = [
    ['sold', section.seatsSold],
    ['held', section.seatsHeld],
    ['blocked', section.seatsBlocked],
    ['available', available],
  ];
  const total = Math.max(1, section.seatsTotal);
  let before = 0;
  return counts.map(([kind, count]) => {
    // From counts, not by adding fractions: the bar ends exactly at 1.
    const segment = { kind, count, start: before / total, width: count / total };
    before += count;
    return segment;
  });
}

/** "12.5%" from a ratio, one decimal at most. */
export const percent = (ratio: number) => `${Math.round(ratio * 1000) / 10}%`;
