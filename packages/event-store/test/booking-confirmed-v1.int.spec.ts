import { MongoClient } from 'mongodb';
import { createEvent, HISTORIC, parseEvent } from '@ticketing/contracts';
import { BOOKING_CONFIRMED_V1, type BookingConfirmedV1Envelope } from '../../contracts/test/fixtures/booking-confirmed-v1';
import { createEventStore, dropEventStoreDatabase, type EventStore } from '../src/mongo-event-store';
import type { StoredEvent } from '../src/stored-event';
import { specStoreUrl } from './support';

/**
 * Issue 9: "a test reads v1 documents written by the old code as v2". The v1 envelopes are the
 * old decider's own output (contracts' fixture); they are stored as the archiver stores any
 * message, then read back through the store with contracts' HISTORIC, as history does.
 */
const url = specStoreUrl('booking_v1');
let store: EventStore;
let withoutHistory: EventStore;
let raw: MongoClient;

const asV2 = (old: BookingConfirmedV1Envelope) => ({ ...old, schemaVersion: 2, payload: { ...old.payload, currency: 'KRW', heldUntil: null } });
const envelopeOf = ({ globalPosition: _position, recordedAt: _recordedAt, ...envelope }: StoredEvent) => envelope;

const current = createEvent(
  'BookingConfirmed',
  {
    bookingId: 'b2000000-0000-4000-8000-000000000001',
    userId: 'c3a00000-0000-4000-8000-000000000003',
    scheduleId: '5c4ed000-0000-4000-8000-000000000011',
    seatIds: ['5e100000-0000-4000-8000-000000000004'],
    amount: 165_000,
    currency: 'KRW',
    paymentId: 'd1000000-0000-4000-8000-000000000003',
    queueTicketId: 'ticket-v2-1',
    seatSequence: 12,
    heldUntil: '2026-11-20T11:05:00.000Z',
  },
  { eventId: 'e3000000-0000-4000-8000-000000000001', streamId: 'b2000000-0000-4000-8000-000000000001', streamVersion: 2, now: new Date('2026-11-20T11:06:00.000Z'), correlationId: 'checkout-v2-1' },
);

beforeAll(async () => {
  store = createEventStore({ url, upcasters: HISTORIC });
  withoutHistory = createEventStore({ url });
  await store.ensureIndexes();
  raw = await MongoClient.connect(url);
  const appended = await store.append([...BOOKING_CONFIRMED_V1, current]);
  expect(appended.appended).toHaveLength(3);
});

afterAll(async () => {
  await Promise.all([store.close(), withoutHistory.close(), raw.close()]);
  await dropEventStoreDatabase(url);
});

describe('BookingConfirmed v1 documents in the real event store', () => {
  it('given v1 documents the old code wrote, when each stream is read, then every event arrives as v2 with KRW and an unrecorded deadline', async () => {
    for (const old of BOOKING_CONFIRMED_V1) {
      const stream = await store.readStream('booking', old.stream.id);

      expect(stream.map(envelopeOf)).toEqual([asV2(old)]);
    }
  });

  it('given v1 and v2 documents, when everything is read by position and replayed through one cursor, then all arrive as v2 and the v2 one as written', async () => {
    const expected = [...BOOKING_CONFIRMED_V1.map(asV2), current];

    expect((await store.readAll({ limit: 10 })).map(envelopeOf)).toEqual(expected);
    const replayed: StoredEvent[] = [];
    for await (const event of store.iterateAll()) replayed.push(event);
    expect(replayed.map(envelopeOf)).toEqual(expected);
  });

  it('given the upcast events, when a projection parses them as history does, then the catalogue reads each as the current BookingConfirmed', async () => {
    for (const event of await store.readAll({ limit: 10 })) {
      const parsed = parseEvent(event);

      if (!parsed.ok) throw new Error(parsed.reason);
      expect(parsed.value).toMatchObject({ type: 'BookingConfirmed', schemaVersion: 2, payload: { currency: 'KRW' } });
    }
  });

  it('given the upcast reads, when the documents themselves are looked at, then they are still the v1 envelopes as written (upcasting never rewrites history)', async () => {
    const documents = await raw
      .db()
      .collection('events')
      .find({ schemaVersion: 1 }, { projection: { _id: 0, globalPosition: 0, recordedAt: 0 } })
      .sort({ globalPosition: 1 })
      .toArray();

    expect(documents).toEqual([...BOOKING_CONFIRMED_V1]);
    expect((await withoutHistory.readAll({ limit: 10 })).map((event) => event.schemaVersion)).toEqual([1, 1, 2]);
  });
});
