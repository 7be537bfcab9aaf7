import {
  BOOKING_EVENT_TYPES,
  BookingConfirmedV1,
  createEvent,
  createEventParser,
  EVENTS,
  HISTORIC,
  parseEnvelope,
  parseEvent,
  upcastBookingConfirmedV1,
  type BookingEventType,
  type EventEnvelope,
} from '../src';
import { BOOKING_CONFIRMED_V1 } from './fixtures/booking-confirmed-v1';

const [V1_TWO_SEATS, V1_ONE_SEAT] = BOOKING_CONFIRMED_V1;
const wire = (event: EventEnvelope) => Buffer.from(JSON.stringify(event));

const v2 = () =>
  createEvent(
    'BookingConfirmed',
    {
      ...V1_ONE_SEAT.payload,
      bookingId: 'b2000000-0000-4000-8000-000000000001',
      currency: 'KRW',
      heldUntil: '2026-11-20T11:05:00.000Z',
    },
    { eventId: 'e3000000-0000-4000-8000-000000000001', streamId: 'b2000000-0000-4000-8000-000000000001', streamVersion: 2, now: new Date('2026-11-20T11:06:00.000Z'), correlationId: 'c' },
  );

/**
 * Every way a BookingConfirmed is read today: concert's seat projection, queue's ticket retirement,
 * booking's realtime relay and history's timeline use `parseEvent`; payment reads booking's
 * events only, through a parser of that slice with the same history; history's archiver checks
 * the envelope alone and stores the message as it came.
 */
const READERS = {
  'parseEvent (concert seat projection, queue ticket retirement, booking realtime relay, history timeline)': parseEvent,
  "payment's booking-events parser": createEventParser(
    Object.fromEntries(BOOKING_EVENT_TYPES.map((type) => [type, EVENTS[type]])) as Pick<typeof EVENTS, BookingEventType>,
    HISTORIC,
  ),
};

describe('BookingConfirmed v1 → v2', () => {
  it('given a v1 payload, when upcast, then every v1 field stays, the currency is KRW and the unrecorded deadline is null', () => {
    const v1 = BookingConfirmedV1.parse(V1_TWO_SEATS.payload);

    expect(upcastBookingConfirmedV1(v1)).toEqual({ ...v1, currency: 'KRW', heldUntil: null });
  });

  it('given the catalogue, when asked, then BookingConfirmed is at version 2 and version 1 is historic', () => {
    expect(EVENTS.BookingConfirmed.schemaVersion).toBe(2);
    expect(Object.keys(HISTORIC['BookingConfirmed'] ?? {})).toEqual(['1']);
  });

  it.each(Object.entries(READERS))('given v1 messages the old code wrote, when %s reads them, then they arrive as v2', (_reader, read) => {
    for (const old of BOOKING_CONFIRMED_V1) {
      const result = read(wire(old));

      if (!result.ok) throw new Error(result.reason);
      expect(result.value).toEqual({ ...old, schemaVersion: 2, payload: { ...old.payload, currency: 'KRW', heldUntil: null } });
    }
  });

  it.each(Object.entries(READERS))('given a v2 message, when %s reads it, then it arrives as written', (_reader, read) => {
    const current = v2();

    expect(read(wire(current))).toEqual({ ok: true, value: current });
  });

  it("given v1 and v2 messages, when history's archiver checks their envelopes, then both pass untouched", () => {
    for (const message of [V1_TWO_SEATS, v2()]) expect(parseEnvelope(wire(message))).toEqual({ ok: true, value: message });
  });

  it('given a v1 message that breaks its own v1 contract, when read, then it is refused naming the v1 field', () => {
    const { paymentId: _dropped, ...broken } = V1_ONE_SEAT.payload;

    const result = parseEvent(wire({ ...V1_ONE_SEAT, payload: broken }));

    expect(!result.ok && result.reason).toContain('payload(v1).paymentId');
  });

  it('given a v2 payload with a lower-case or missing currency, when produced, then it is refused as a producer bug', () => {
    const { currency: _dropped, ...withoutCurrency } = v2().payload;

    expect(() => createEvent('BookingConfirmed', { ...v2().payload, currency: 'krw' }, { eventId: 'e3000000-0000-4000-8000-000000000002', streamId: 'b', streamVersion: 2, now: new Date(), correlationId: 'c' })).toThrow(
      /payload: currency/,
    );
    expect(() => createEvent('BookingConfirmed', withoutCurrency as never, { eventId: 'e3000000-0000-4000-8000-000000000003', streamId: 'b', streamVersion: 2, now: new Date(), correlationId: 'c' })).toThrow(
      /currency/,
    );
  });

  it('given a consumer still on the v1 catalogue (mid-deploy), when a v2 message arrives, then it refuses it as too new: consumers deploy before booking emits v2', () => {
    const v1Consumer = createEventParser({ BookingConfirmed: { schemaVersion: 1, stream: 'booking', payload: BookingConfirmedV1 } });

    const result = v1Consumer(wire(v2()));

    expect(result).toEqual({ ok: false, reason: 'BookingConfirmed schemaVersion 2 is newer than this consumer reads (1)' });
    // Yet the v2 payload is a v1 payload plus fields: the v1 schema alone reads it, dropping them.
    const { currency: _currency, heldUntil: _heldUntil, ...v1Fields } = v2().payload;
    expect(BookingConfirmedV1.parse(v2().payload)).toEqual(v1Fields);
  });
});
