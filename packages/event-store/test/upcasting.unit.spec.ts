import { z } from 'zod';
import type { HistoricVersions } from '@ticketing/contracts';
import { createUpcaster, UpcastError } from '../src/upcasting';
import type { StoredEvent } from '../src/stored-event';

/** A test-only event: v1 had `name`, v2 split it, v3 added `tier` with a default. */
const historic: HistoricVersions = {
  TestRenamed: {
    1: { payload: z.object({ name: z.string() }), upcast: ({ name }) => ({ first: String(name).split(' ')[0], last: String(name).split(' ')[1] }) },
    2: { payload: z.object({ first: z.string(), last: z.string() }), upcast: (payload) => ({ ...payload, tier: 'standard' }) },
  },
};

const stored = (type: string, schemaVersion: number, payload: Record<string, unknown>): StoredEvent => ({
  eventId: '5f0c8d1e-8a43-4c8e-9b1e-0a1b2c3d4e5f',
  type,
  schemaVersion,
  stream: { type: 'booking', id: 'b1' },
  streamVersion: 1,
  occurredAt: '2026-12-03T10:00:00.000Z',
  correlationId: 'c',
  causationId: null,
  payload,
  globalPosition: 7,
  recordedAt: '2026-12-03T10:00:01.000Z',
});

describe('createUpcaster', () => {
  const upcast = createUpcaster(historic);

  it('given a v1 event, when read, then it arrives in the current shape, version by version', () => {
    const event = upcast(stored('TestRenamed', 1, { name: 'Ada Lovelace' }));
    expect(event.schemaVersion).toBe(3);
    expect(event.payload).toEqual({ first: 'Ada', last: 'Lovelace', tier: 'standard' });
    expect(event.globalPosition).toBe(7);
  });

  it('given an event at an intermediate version, when read, then only the remaining steps apply', () => {
    expect(upcast(stored('TestRenamed', 2, { first: 'Ada', last: 'L' })).payload).toEqual({ first: 'Ada', last: 'L', tier: 'standard' });
  });

  it('given an event already current or of a type without history, when read, then it is returned untouched', () => {
    const current = stored('TestRenamed', 3, { first: 'A', last: 'B', tier: 'vip' });
    const other = stored('SeatsHeld', 1, { x: 1 });
    expect(upcast(current)).toBe(current);
    expect(upcast(other)).toBe(other);
  });

  it('given a stored payload that does not match its own old schema, when read, then it throws naming the event', () => {
    expect(() => upcast(stored('TestRenamed', 1, { nom: 'x' }))).toThrow(UpcastError);
  });

  it('given a type named like an Object.prototype member, when read, then it is not mistaken for history', () => {
    const odd = stored('constructor', 1, {});
    expect(upcast(odd)).toBe(odd);
  });
});
