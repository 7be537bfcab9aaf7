import { readFileSync } from 'node:fs';
import path from 'node:path';
import { EVENTS, HISTORIC, topicFor, type EventType } from '../src';

/** docs/events.md keeps the catalogue for people; this keeps it from drifting from the registry. */
const doc = readFileSync(path.join(__dirname, '../../../docs/events.md'), 'utf8');

/** Each event's section: from its `### \`Type\` (vN)` heading to the next heading. */
const sections = new Map(
  [...doc.matchAll(/^### `(\w+)` \(v(\d+)\)\n([\s\S]*?)(?=^#{2,3} |(?![\s\S]))/gm)].map(([, type, version, body]) => [type!, { version: Number(version), body: body! }]),
);
const registered = Object.keys(EVENTS) as EventType[];

describe('docs/events.md', () => {
  it.each(registered)('given %s in the registry, when the catalogue is read, then it has a section at the current version, its stream and topic', (type) => {
    const { schemaVersion, stream } = EVENTS[type];

    expect(sections.get(type)?.version).toBe(schemaVersion);
    expect(sections.get(type)?.body).toContain(`stream \`${stream}\` on \`${topicFor(stream)}\``);
    expect(sections.get(type)?.body).toMatch(/^- Consumers: /m);
    expect(sections.get(type)?.body).toMatch(/^- Payload: /m);
  });

  it.each(registered)('given %s in the registry, when its version history is read, then every version up to the current one says what it changed', (type) => {
    const listed = [...(sections.get(type)?.body ?? '').matchAll(/^ {2}- v(\d+): \S/gm)].map(([, version]) => Number(version));

    expect(listed).toEqual(Array.from({ length: EVENTS[type].schemaVersion }, (_, i) => i + 1));
  });

  it('given the catalogue, when its sections are listed, then each names an event the registry still has', () => {
    expect([...sections.keys()].filter((type) => !Object.hasOwn(EVENTS, type))).toEqual([]);
  });

  it('given every event above v1, when its history is looked up, then each older version is still readable (an upcaster per step)', () => {
    for (const type of registered) {
      const older = Array.from({ length: EVENTS[type].schemaVersion - 1 }, (_, i) => i + 1);
      expect([type, older.filter((version) => !HISTORIC[type]?.[version])]).toEqual([type, []]);
    }
  });
});
