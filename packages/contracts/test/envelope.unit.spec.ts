import { randomUUID } from 'node:crypto';
import { createEnvelope, isCheckedEnvelope, parseEnvelope } from '../src';

const NOW = new Date('2025-03-01T10:00:00.000Z');

function validEnvelope(): Record<string, unknown> {
  return {
    eventId: randomUUID(),
    type: 'SeatsHeld',
    schemaVersion: 1,
    stream: { type: 'booking', id: randomUUID() },
    streamVersion: 0,
    occurredAt: NOW.toISOString(),
    correlationId: 'req-123',
    causationId: null,
    payload: { anything: true },
  };
}

describe('createEnvelope', () => {
  it('stamps occurredAt from the given now and defaults causationId to null', () => {
    const eventId = randomUUID();
    const envelope = createEnvelope({
      eventId,
      type: 'SeatsHeld',
      schemaVersion: 1,
      stream: { type: 'booking', id: 'b-1' },
      streamVersion: 3,
      now: NOW,
      correlationId: 'req-1',
      payload: { seats: 2 },
    });
    expect(envelope).toEqual({
      eventId,
      type: 'SeatsHeld',
      schemaVersion: 1,
      stream: { type: 'booking', id: 'b-1' },
      streamVersion: 3,
      occurredAt: '2025-03-01T10:00:00.000Z',
      correlationId: 'req-1',
      causationId: null,
      payload: { seats: 2 },
    });
  });

  it('is pure: the same input gives the same envelope', () => {
    const input = {
      eventId: randomUUID(),
      type: 'X',
      schemaVersion: 1,
      stream: { type: 'queue' as const, id: 's' },
      streamVersion: 0,
      now: NOW,
      correlationId: 'c',
      causationId: randomUUID(),
      payload: {},
    };
    expect(createEnvelope(input)).toEqual(createEnvelope(input));
  });

  it('refuses to build an envelope no consumer could read (producer bug)', () => {
    expect(() =>
      createEnvelope({
        eventId: 'not-a-uuid',
        type: 'SeatsHeld',
        schemaVersion: 0,
        stream: { type: 'booking', id: 'b' },
        streamVersion: 0,
        now: NOW,
        correlationId: 'c',
        payload: {},
      }),
    ).toThrow(/eventId.*schemaVersion|schemaVersion.*eventId/);
  });
});

describe('parseEnvelope', () => {
  it('accepts a valid envelope as an object, a JSON string or a Kafka Buffer', () => {
    const envelope = validEnvelope();
    for (const raw of [envelope, JSON.stringify(envelope), Buffer.from(JSON.stringify(envelope))]) {
      expect(parseEnvelope(raw)).toEqual({ ok: true, value: envelope });
    }
  });

  it('accepts an occurredAt with a UTC offset and a causation id', () => {
    const result = parseEnvelope({ ...validEnvelope(), occurredAt: '2025-03-01T19:00:00+09:00', causationId: randomUUID() });
    expect(result.ok).toBe(true);
  });

  it('drops unknown top-level fields instead of refusing them (tolerant reader)', () => {
    const result = parseEnvelope({ ...validEnvelope(), addedLater: 'x' });
    expect(result.ok && 'addedLater' in result.value).toBe(false);
  });

  it.each(['eventId', 'type', 'schemaVersion', 'stream', 'streamVersion', 'occurredAt', 'correlationId', 'causationId', 'payload'])(
    'rejects an envelope without %s and names the field',
    (field) => {
      const envelope = validEnvelope();
      delete envelope[field];
      const result = parseEnvelope(envelope);
      expect(result.ok).toBe(false);
      expect(!result.ok && result.reason).toContain(field);
    },
  );

  it.each([
    ['a non-UUID eventId', { eventId: 'evt-1' }, 'eventId'],
    ['a UUID-shaped eventId that is not a UUID', { eventId: '1234567-1234-1234-1234-123456789012' }, 'eventId'],
    ['schemaVersion as a string', { schemaVersion: '1' }, 'schemaVersion'],
    ['schemaVersion 0', { schemaVersion: 0 }, 'schemaVersion'],
    ['a fractional schemaVersion', { schemaVersion: 1.5 }, 'schemaVersion'],
    ['a negative streamVersion', { streamVersion: -1 }, 'streamVersion'],
    ['an unknown aggregate type', { stream: { type: 'invoice', id: 'x' } }, 'stream.type'],
    ['an empty stream id', { stream: { type: 'booking', id: '' } }, 'stream.id'],
    ['a non-ISO occurredAt', { occurredAt: 'yesterday' }, 'occurredAt'],
    ['occurredAt as epoch millis', { occurredAt: 1_700_000_000_000 }, 'occurredAt'],
    ['an empty correlationId', { correlationId: '' }, 'correlationId'],
    ['a payload that is an array', { payload: [1, 2] }, 'payload'],
    ['a null payload', { payload: null }, 'payload'],
    ['an empty type', { type: '' }, 'type'],
  ])('rejects %s with a reason', (_case, override, field) => {
    const result = parseEnvelope({ ...validEnvelope(), ...override });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toContain(field);
  });

  it.each([
    ['a string that is not JSON', '{"eventId":', 'not valid JSON'],
    ['a Buffer that is not JSON', Buffer.from([0xff, 0x00]), 'not valid JSON'],
    ['null', null, 'object'],
    ['a number', 42, 'object'],
    ['JSON of an array', '[]', 'object'],
  ])('rejects %s without throwing', (_case, raw, reason) => {
    const result = parseEnvelope(raw);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toContain(reason);
  });
});

describe('isCheckedEnvelope', () => {
  it('knows the envelopes this process made or parsed, and nothing else: not a copy, not a look-alike, not a refused one', () => {
    const made = createEnvelope({ eventId: randomUUID(), type: 'SeatsHeld', schemaVersion: 1, stream: { type: 'booking', id: 'b-1' }, streamVersion: 0, now: NOW, correlationId: 'req-1', payload: {} });
    const read = parseEnvelope(JSON.stringify(validEnvelope()));
    if (!read.ok) throw new Error(read.reason);

    expect(isCheckedEnvelope(made)).toBe(true);
    expect(isCheckedEnvelope(read.value)).toBe(true);
    expect(isCheckedEnvelope({ ...made })).toBe(false);
    expect(isCheckedEnvelope(validEnvelope())).toBe(false);
    expect(isCheckedEnvelope(null)).toBe(false);
    const refused = { ...validEnvelope(), eventId: 'nope' };
    expect(parseEnvelope(refused).ok).toBe(false);
    expect(isCheckedEnvelope(refused)).toBe(false);
  });
});
