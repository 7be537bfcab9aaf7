import { createEvent } from '@ticketing/contracts';
import type { StoredEvent } from '@ticketing/event-store';
import { knownEventOf } from '../src/application/known-event';

const stored = (event: ReturnType<typeof createEvent>, globalPosition: number): StoredEvent =>
  ({ ...event, globalPosition, recordedAt: '2025-01-01T12:00:00.000Z' }) as StoredEvent;

const requested = createEvent(
  'PaymentRequested',
  { bookingId: 'b0000000-0000-4000-8000-000000000001', userId: 'a0000000-0000-4000-8000-000000000001', amount: 330_000 },
  { eventId: 'f0000000-0000-4000-8000-000000000001', streamId: 'b0000000-0000-4000-8000-000000000001', streamVersion: 1, now: new Date('2025-01-01T12:00:00.000Z'), correlationId: 'request-1' },
);

describe('a stored event read by several projections', () => {
  it('is parsed once: every projection given the same event gets the one result', () => {
    const event = stored(requested, 7);
    const first = knownEventOf(event);
    expect(first).toMatchObject({ ok: true, value: { type: 'PaymentRequested', payload: { amount: 330_000 } } });
    expect(knownEventOf(event)).toBe(first);
  });

  it('keeps a refusal too, and tells another event (an equal copy) apart by itself', () => {
    const unknown = { ...stored(requested, 8), type: 'NoSuchEvent' } as StoredEvent;
    const refused = knownEventOf(unknown);
    expect(refused).toEqual({ ok: false, reason: 'unknown event type "NoSuchEvent"' });
    expect(knownEventOf(unknown)).toBe(refused);
    const copy = stored(requested, 7);
    expect(knownEventOf(copy)).not.toBe(knownEventOf(stored(requested, 7)));
    expect(knownEventOf(copy)).toEqual(knownEventOf(stored(requested, 7)));
  });
});
