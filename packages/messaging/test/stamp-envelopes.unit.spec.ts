import { parseEvent } from '@ticketing/contracts';
import { stampEnvelopes, type DomainEvent } from '../src/stamp-envelopes';

const NOW = new Date('2025-03-01T10:00:00.000Z');
const BOOKING = 'b0000000-0000-4000-8000-000000000001';
const USER = 'c3a0b6a2-0000-4000-8000-000000000001';
const PAYMENT = 'd0000000-0000-4000-8000-000000000001';

const ids = () => {
  let n = 0;
  return () => `e0000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
};
const context = { streamId: BOOKING, fromVersion: 4, correlationId: 'request-42', causationId: 'cause-1', now: NOW };

describe('stamping envelopes on a decider’s events', () => {
  const events: DomainEvent[] = [
    { type: 'PaymentRequested', payload: { bookingId: BOOKING, userId: USER, amount: 7_000 } },
    { type: 'RefundRequested', payload: { bookingId: BOOKING, userId: USER, paymentId: PAYMENT, amount: 7_000, reason: 'late' } },
  ];

  it('given two events of one step, when stamped from version 4, then they get fresh ids, versions 4 and 5, the catalogue’s stream type and schema version, and one causation', () => {
    const stamped = stampEnvelopes(events, { ...context, newId: ids() });

    expect(stamped).toEqual([
      {
        eventId: 'e0000000-0000-4000-8000-000000000001',
        type: 'PaymentRequested',
        schemaVersion: 1,
        stream: { type: 'booking', id: BOOKING },
        streamVersion: 4,
        occurredAt: NOW.toISOString(),
        correlationId: 'request-42',
        causationId: 'cause-1',
        payload: events[0]!.payload,
      },
      expect.objectContaining({ eventId: 'e0000000-0000-4000-8000-000000000002', type: 'RefundRequested', streamVersion: 5, payload: events[1]!.payload }),
    ]);
    expect(stamped.map((envelope) => parseEvent(JSON.stringify(envelope)).ok)).toEqual([true, true]);
  });

  it('given a payment event, then it goes on the payment stream: the stream type comes from the catalogue, not the caller', () => {
    const [stamped] = stampEnvelopes([{ type: 'PaymentCompleted', payload: { paymentId: PAYMENT, bookingId: BOOKING, userId: USER, amount: 1 } }], {
      ...context,
      streamId: PAYMENT,
      fromVersion: 0,
      causationId: null,
      newId: ids(),
    });
    expect(stamped).toMatchObject({ stream: { type: 'payment', id: PAYMENT }, streamVersion: 0, causationId: null });
  });

  it('given no events, then there is nothing to stamp', () => {
    expect(stampEnvelopes([], { ...context, newId: ids() })).toEqual([]);
  });

  it('given a payload that breaks its contract, then it throws (a producer bug never reaches the outbox)', () => {
    const broken = { type: 'PaymentRequested', payload: { bookingId: BOOKING, userId: USER, amount: -1 } } as DomainEvent;
    expect(() => stampEnvelopes([broken], { ...context, newId: ids() })).toThrow(/Invalid PaymentRequested payload: amount/);
  });
});
