import { createEvent, type EventEnvelope } from '@ticketing/contracts';
import type { AppendResult } from '@ticketing/event-store';
import { archiveBatch, sortBatch, type ArchivableMessage } from '../src/application/archive-batch';

const BOOKING = 'b0000000-0000-4000-8000-000000000001';
const FAN = 'a0000000-0000-4000-8000-000000000001';
const TOPIC = 'booking.events';

const requested = (eventId: string, streamVersion: number) =>
  createEvent('PaymentRequested', { bookingId: BOOKING, userId: FAN, amount: 1_000 }, { eventId, streamId: BOOKING, streamVersion, now: new Date('2025-01-01T00:00:00Z'), correlationId: 'c' });
const message = (value: string | null): ArchivableMessage => ({ topic: TOPIC, value });
const EVENT_1 = requested('f0000000-0000-4000-8000-000000000001', 1);
const EVENT_2 = requested('f0000000-0000-4000-8000-000000000002', 2);

describe('sorting a Kafka batch for the archive', () => {
  it('given valid envelopes with a field this version does not know, then they are archived as they travelled', () => {
    const withExtra = { ...EVENT_1, addedByNewerProducer: 'kept' };

    const sorted = sortBatch([message(JSON.stringify(withExtra))]);

    expect(sorted.valid.map((entry) => entry.envelope)).toEqual([withExtra]);
    expect(sorted.malformed).toEqual([]);
  });

  it('given text that is not JSON, an envelope without an eventId and a tombstone, then each is malformed with its reason', () => {
    const { eventId: _dropped, ...noId } = EVENT_1;

    const sorted = sortBatch([message('{not json'), message(JSON.stringify(noId)), message(null)]);

    expect(sorted.valid).toEqual([]);
    expect(sorted.malformed.map((entry) => entry.reason)).toEqual([
      'malformed: message is not valid JSON',
      expect.stringMatching(/^malformed: eventId: /),
      'malformed: message has no value',
    ]);
  });
});

describe('archiving a batch', () => {
  const setUp = (result: AppendResult) => {
    const appends: EventEnvelope[][] = [];
    const parked: Array<{ value: string | null; reason: string }> = [];
    const archive = archiveBatch<ArchivableMessage>({
      append: async (envelopes) => {
        appends.push([...envelopes]);
        return result;
      },
      park: async (parkedMessage, reason) => {
        parked.push({ value: parkedMessage.value, reason });
      },
    });
    return { archive, appends, parked };
  };

  it('given a batch with a malformed message between two events, then one append takes both events and only the bad one is parked', async () => {
    const { archive, appends, parked } = setUp({ appended: [], duplicates: [], conflicts: [] });

    const outcome = await archive([message(JSON.stringify(EVENT_1)), message('garbage'), message(JSON.stringify(EVENT_2))]);

    expect(appends).toEqual([[EVENT_1, EVENT_2]]);
    expect(parked).toEqual([{ value: 'garbage', reason: 'malformed: message is not valid JSON' }]);
    expect(outcome.parked).toBe(1);
  });

  it('given an event whose stream slot already holds another event, then it is parked as a conflict and duplicates are not', async () => {
    const { archive, parked } = setUp({
      appended: [],
      duplicates: [EVENT_1.eventId],
      conflicts: [
        { kind: 'ExpectedVersionConflict', eventId: EVENT_2.eventId, stream: EVENT_2.stream, streamVersion: 2, expectedVersion: 1, actualVersion: 2 },
      ],
    });

    const outcome = await archive([message(JSON.stringify(EVENT_1)), message(JSON.stringify(EVENT_2))]);

    expect(parked).toEqual([{ value: JSON.stringify(EVENT_2), reason: `conflict: booking/${BOOKING} version 2 already holds another event (head 2)` }]);
    expect(outcome).toEqual({ appended: 0, duplicates: 1, parked: 1 });
  });

  it('given only malformed messages, then the store is not called', async () => {
    const { archive, appends } = setUp({ appended: [], duplicates: [], conflicts: [] });

    await archive([message('[]')]);

    expect(appends).toEqual([]);
  });
});
