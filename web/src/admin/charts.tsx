import { useId } from 'react';
import { linearScale, niceCeiling, percent, sectionSegments, stepPath, ticks, type Point, type SectionCounts } from './chart.model';

/**
 * Charts drawn by hand in SVG (no chart library: three charts do not pay for one). Each is an
 * image with a name and a description that say its numbers, so it reads without sight; colours
 * come from classes (the CSP allows no inline style).
 */

const WIDTH = 640;
const HEIGHT = 200;
const PAD = { left: 64, right: 16, top: 12, bottom: 28 };
const clockTime = (at: number) => new Date(at).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** A running total over time, one step per pushed snapshot. */
export function TimeChart({ title, points, format, testId }: { title: string; points: readonly Point[]; format: (value: number) => string; testId: string }) {
  const id = useId();
  const first = points[0];
  const last = points.at(-1);
  const top = niceCeiling(Math.max(0, ...points.map((point) => point.value)));
  const x = linearScale([first?.at ?? 0, last?.at ?? 0], [PAD.left, WIDTH - PAD.right]);
  const y = linearScale([0, top], [HEIGHT - PAD.bottom, PAD.top]);
  const description = last
    ? `Now ${format(last.value)}; ${points.length} ${points.length === 1 ? 'update' : 'updates'} since ${clockTime(first!.at)}.`
    : 'No updates yet.';
  return (
    <figure className="chart" data-testid={testId}>
      <figcaption id={`${id}-title`}>{title}</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby={`${id}-title ${id}-desc`} data-points={points.length}>
        <desc id={`${id}-desc`}>{description}</desc>
        {ticks(top).map((tick) => (
          <g key={tick} className="tick">
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(tick)} y2={y(tick)} />
            <text x={PAD.left - 6} y={y(tick) + 4} textAnchor="end">
              {format(tick)}
            </text>
          </g>
        ))}
        {first && last && (
          <g className="tick">
            <text x={PAD.left} y={HEIGHT - 8} textAnchor="start">
              {clockTime(first.at)}
            </text>
            {last.at !== first.at && (
              <text x={WIDTH - PAD.right} y={HEIGHT - 8} textAnchor="end">
                {clockTime(last.at)}
              </text>
            )}
          </g>
        )}
        <path className="line" d={stepPath(points, x, y)} />
        {last && <circle className="dot" cx={x(last.at)} cy={y(last.value)} r={4} />}
      </svg>
    </figure>
  );
}

const KIND_WORDS = { sold: 'sold', held: 'held', blocked: 'blocked', available: 'available' } as const;

/** Each section's seats as one bar: sold, held, blocked and available side by side. */
export function SectionBars({ sections }: { sections: readonly SectionCounts[] }) {
  const id = useId();
  const rowHeight = 34;
  const labelWidth = 120;
  const barWidth = WIDTH - labelWidth - PAD.right;
  const height = Math.max(1, sections.length) * rowHeight + 8;
  const description = sections
    .map((section) => `${section.section}: ${sectionSegments(section).map((segment) => `${segment.count} ${KIND_WORDS[segment.kind]}`).join(', ')}`)
    .join('. ');
  return (
    <figure className="chart" data-testid="chart-sections">
      <figcaption id={`${id}-title`}>Seats by section</figcaption>
      <ul className="legend" aria-label="Bar colours">
        {(['sold', 'held', 'blocked', 'available'] as const).map((kind) => (
          <li key={kind}>
            <span className={`swatch bar-${kind}`} aria-hidden="true" /> {KIND_WORDS[kind]}
          </li>
        ))}
      </ul>
      <svg viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-labelledby={`${id}-title ${id}-desc`}>
        <desc id={`${id}-desc`}>{description || 'No seats yet.'}</desc>
        {sections.map((section, index) => (
          <g key={section.section} transform={`translate(0 ${index * rowHeight + 4})`}>
            <text className="bar-label" x={labelWidth - 8} y={rowHeight / 2 + 2} textAnchor="end">
              {section.section}
            </text>
            {sectionSegments(section)
              .filter((segment) => segment.width > 0)
              .map((segment) => (
                <rect
                  key={segment.kind}
                  className={`bar-${segment.kind}`}
                  x={labelWidth + segment.start * barWidth}
                  y={4}
                  width={segment.width * barWidth}
                  height={rowHeight - 10}
                  data-kind={segment.kind}
                  data-count={segment.count}
                />
              ))}
          </g>
        ))}
      </svg>
    </figure>
  );
}

/** Confirmed bookings per admitted fan, as a filled bar (capped at full: comps need no admission). */
export function ConversionBar({ conversion, confirmed, admitted }: { conversion: number; confirmed: number; admitted: number }) {
  const id = useId();
  const fill = Math.min(1, Math.max(0, conversion));
  return (
    <figure className="chart" data-testid="chart-conversion">
      <figcaption id={`${id}-title`}>Conversion</figcaption>
      <svg viewBox={`0 0 ${WIDTH} 40`} role="img" aria-labelledby={`${id}-title ${id}-desc`}>
        <desc id={`${id}-desc`}>{`${percent(conversion)}: ${confirmed} confirmed bookings for ${admitted} fans admitted.`}</desc>
        <rect className="bar-track" x={0} y={6} width={WIDTH} height={28} rx={4} />
        <rect className="bar-sold" x={0} y={6} width={fill * WIDTH} height={28} rx={4} />
      </svg>
    </figure>
  );
}
