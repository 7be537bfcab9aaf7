import { HISTORIC, type EventEnvelope } from '@ticketing/contracts';
import { BOOKING_CONFIRMED_V1 } from '../../contracts/test/fixtures/booking-confirmed-v1';
import { createUpcaster, UpcastError } from '../src/upcasting';
import type { StoredEvent } from '../src/stored-event';

const upcast = createUpcaster(HISTORIC);
const stored = (envelope: EventEnvelope<string, Record<string, unknown>>, globalPosition: number): StoredEvent => ({
  ...envelope,
  globalPosition,
  recordedAt: '2026-11-20T11:00:32.000Z',
});

describe("the store's upcaster with the catalogue's history", () => {
  it('given a stored v1 BookingConfirmed the old code wrote, when read, then it is v2 with KRW and a null deadline, position and metadata kept', () => {
    const old = stored(BOOKING_CONFIRMED_V1[0], 41);

    expect(upcast(old)).toEqual({ ...old, schemaVersion: 2, payload: { ...old.payload, currency: 'KRW', heldUntil: null } });
  });

  it('given a stored v2 BookingConfirmed, when read, then it is returned untouched', () => {
    const current = stored({ ...BOOKING_CONFIRMED_V1[1], schemaVersion: 2, payload: { ...BOOKING_CONFIRMED_V1[1].payload, currency: 'KRW', heldUntil: null } }, 42);

    expect(upcast(current)).toBe(current);
  });

  it('given a stored v1 BookingConfirmed that breaks the v1 contract, when read, then it throws naming the event (a replay stops rather than fold it)', () => {
    const broken = stored({ ...BOOKING_CONFIRMED_V1[0], payload: { ...BOOKING_CONFIRMED_V1[0].payload, amount: -1 } }, 43);

    expect(() => upcast(broken)).toThrow(UpcastError);
    expect(() => upcast(broken)).toThrow(/payload\(v1\)\.amount/);
  });
});
