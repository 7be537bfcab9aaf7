import { createEvent } from '@ticketing/contracts';
import {
  apportion,
  bookingFactOf,
  conversion,
  emptyCounters,
  salesDeltaOf,
  seatsAvailable,
  sumDeltas,
  UNKNOWN_SECTION,
  type BookingFact,
  type SalesEvent,
  type SeatFact,
} from '../src/domain/sales-dashboard';

const SCHEDULE = 'd0000000-0000-4000-8000-000000000001';
const FAN = 'a0000000-0000-4000-8000-000000000001';
const NOW = new Date('2025-01-01T12:00:00.000Z');
const id = (prefix: string, n: number) => `${prefix}0000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const seat = (n: number) => id('e', n);
const booking = (n: number) => id('b', n);

let nextEvent = 0;
const meta = (streamId: string, streamVersion: number) => ({ eventId: id('f', ++nextEvent), streamId, streamVersion, now: NOW, correlationId: 'request-1' });

/** 2 VIP seats at 200,000 and 3 R seats at 100,000. */
const catalog: SeatFact[] = [
  ...[1, 2].map((n) => ({ seatId: seat(n), scheduleId: SCHEDULE, section: 'VIP', price: 200_000 })),
  ...[3, 4, 5].map((n) => ({ seatId: seat(n), scheduleId: SCHEDULE, section: 'R', price: 100_000 })),
];
const seatsAdded = createEvent(
  'SeatsAdded',
  { scheduleId: SCHEDULE, seats: catalog.map(({ seatId, section, price }, i) => ({ seatId, section, row: 'A', number: i + 1, price })) },
  meta(SCHEDULE, 1),
);
const held = (n: number, seatIds: string[], amount: number) =>
  createEvent(
    'SeatsHeld',
    { bookingId: booking(n), userId: FAN, scheduleId: SCHEDULE, seatIds, amount, heldUntil: '2025-01-01T12:05:00.000Z', queueTicketId: 't', seatSequence: n },
    meta(booking(n), 0),
  );
const confirmed = (n: number, seatIds: string[], amount: number) =>
  createEvent(
    'BookingConfirmed',
    { bookingId: booking(n), userId: FAN, scheduleId: SCHEDULE, seatIds, amount, currency: 'KRW', paymentId: id('c', n), queueTicketId: 't', seatSequence: 10 + n, heldUntil: null },
    meta(booking(n), 2),
  );
const refunded = (n: number, seatIds: string[], amount: number) =>
  createEvent(
    'BookingRefunded',
    { bookingId: booking(n), userId: FAN, scheduleId: SCHEDULE, seatIds, paymentId: id('c', n), amount, reason: 'rain', refundedBy: 'ADMIN', requestedBy: FAN, seatSequence: 40 + n },
    meta(booking(n), 3),
  );
const paymentRefunded = (n: number, amount: number) =>
  createEvent('PaymentRefunded', { paymentId: id('c', n), bookingId: booking(n), userId: FAN, amount }, meta(id('c', n), 1));
const expired = (n: number, seatIds: string[]) =>
  createEvent('BookingExpired', { bookingId: booking(n), userId: FAN, scheduleId: SCHEDULE, seatIds, seatSequence: 20 + n }, meta(booking(n), 1));
const admitted = (n: number) =>
  createEvent(
    'FanAdmitted',
    { scheduleId: SCHEDULE, ticketId: `ticket-${n}`, queueNumber: n, admittedAt: NOW.toISOString(), expiresAt: '2025-01-01T12:10:00.000Z' },
    meta(`ticket-${n}`, 0),
  );

/** The projection's fold without a database: facts remembered from holds, deltas summed in order. */
function fold(events: readonly SalesEvent[]) {
  const seats = new Map(catalog.map((fact) => [fact.seatId, fact]));
  const bookings = new Map<string, BookingFact>();
  const deltas = [];
  for (const event of events) {
    if (event.type === 'SeatsHeld' && !bookings.has(event.payload.bookingId)) bookings.set(event.payload.bookingId, bookingFactOf(event.payload, (s) => seats.get(s)));
    if (event.type === 'SeatsComped') bookings.set(event.payload.bookingId, bookingFactOf({ ...event.payload, amount: 0 }, (s) => seats.get(s)));
    const delta = salesDeltaOf(event, { booking: (b) => bookings.get(b), seat: (s) => seats.get(s) });
    if (delta) deltas.push(delta);
  }
  const sum = sumDeltas(SCHEDULE, deltas);
  return { totals: { ...emptyCounters(), ...sum.totals }, sections: sum.sections };
}

describe('apportioning an amount over sections', () => {
  it.each([
    [100, [1, 1, 1], [34, 33, 33]],
    [500_000, [400_000, 100_000], [400_000, 100_000]],
    [7, [0, 0], [4, 3]],
    [0, [5, 5], [0, 0]],
    [10, [], []],
  ])('given %d over weights %j, then the parts are %j and add up to the amount', (amount, weights, parts) => {
    expect(apportion(amount, weights)).toEqual(parts);
    expect(apportion(amount, weights).reduce((a, b) => a + b, 0)).toBe(weights.length === 0 ? 0 : amount);
  });
});

const BLOCK = 'ab000000-0000-4000-8000-000000000001';
const ADMIN = 'ad000000-0000-4000-8000-000000000001';
const blocked = (seatIds: string[]) =>
  createEvent('SeatsBlocked', { blockId: BLOCK, scheduleId: SCHEDULE, seatIds, reason: 'VIP guests', blockedBy: ADMIN, seatSequence: 30 }, meta(BLOCK, 0));
const released = (seatIds: string[], version: number) =>
  createEvent('SeatsReleased', { blockId: BLOCK, scheduleId: SCHEDULE, seatIds, releasedBy: ADMIN, seatSequence: 30 + version }, meta(BLOCK, version));

describe('seats an admin blocks and releases', () => {
  it('given seats blocked across two sections, then each section counts its blocked seats and they are not available', () => {
    const { totals, sections } = fold([seatsAdded, blocked([seat(1), seat(2), seat(3)])]);

    expect(totals.seatsBlocked).toBe(3);
    expect(sections['VIP']).toMatchObject({ seatsTotal: 2, seatsBlocked: 2 });
    expect(sections['R']).toMatchObject({ seatsTotal: 3, seatsBlocked: 1 });
    expect(seatsAvailable(totals)).toBe(2);
  });

  it('given a block, when part of it is released, then only the rest stays blocked; when all is released, nothing is', () => {
    const partly = fold([seatsAdded, blocked([seat(1), seat(3)]), released([seat(3)], 1)]);
    expect(partly.totals.seatsBlocked).toBe(1);
    expect(partly.sections['VIP']?.seatsBlocked).toBe(1);
    expect(partly.sections['R']?.seatsBlocked ?? 0).toBe(0);

    const wholly = fold([seatsAdded, blocked([seat(1), seat(3)]), released([seat(3)], 1), released([seat(1)], 2)]);
    expect(wholly.totals.seatsBlocked ?? 0).toBe(0);
    expect(seatsAvailable(wholly.totals)).toBe(5);
  });

  it('given a block of seats the projection never saw added, then they are counted under an unknown section', () => {
    const delta = salesDeltaOf(blocked([seat(9)]), { booking: () => undefined, seat: () => undefined });

    expect(delta).toEqual({ scheduleId: SCHEDULE, totals: { seatsBlocked: 1 }, sections: { [UNKNOWN_SECTION]: { seatsBlocked: 1 } } });
  });
});

describe('a schedule dashboard folded from its events', () => {
  it('given seats added, then the totals and each section count them and nothing is held or sold', () => {
    const { totals, sections } = fold([seatsAdded]);
    expect(totals.seatsTotal).toBe(5);
    expect(sections).toEqual({ VIP: { seatsTotal: 2 }, R: { seatsTotal: 3 } });
    expect(seatsAvailable(totals)).toBe(5);
  });

  it('given a hold across two sections, when it is confirmed, then the seats are sold and the revenue split by seat price adds up to the amount', () => {
    const seatIds = [seat(1), seat(3)];
    const { totals, sections } = fold([seatsAdded, held(1, seatIds, 300_000), confirmed(1, seatIds, 300_000)]);
    expect(totals).toMatchObject({ seatsHeld: 0, seatsSold: 2, revenue: 300_000, bookingsConfirmed: 1 });
    expect(sections['VIP']).toMatchObject({ seatsTotal: 2, seatsSold: 1, revenue: 200_000 });
    expect(sections['R']).toMatchObject({ seatsTotal: 3, seatsSold: 1, revenue: 100_000 });
    expect(seatsAvailable(totals)).toBe(3);
  });

  it('given a confirmed booking across two sections, when it is refunded and paid back, then its seats are available, its revenue leaves each section exactly and the refund shows', () => {
    const seatIds = [seat(1), seat(3)];
    const other = [seat(2)];
    const { totals, sections } = fold([
      seatsAdded,
      held(1, seatIds, 300_000),
      confirmed(1, seatIds, 300_000),
      held(3, other, 200_000),
      confirmed(3, other, 200_000),
      refunded(1, seatIds, 300_000),
      paymentRefunded(1, 300_000),
    ]);
    expect(totals).toMatchObject({ seatsSold: 1, revenue: 200_000, refunded: 300_000, bookingsConfirmed: 2 });
    expect(sections['VIP']).toMatchObject({ seatsSold: 1, revenue: 200_000 });
    expect(sections['R']).toMatchObject({ seatsSold: 0, revenue: 0 });
    expect(seatsAvailable(totals)).toBe(4);
  });

  it('given blocked seats comped for a guest, then they leave blocked for sold with no revenue, in their sections; a refund of the comp frees them', () => {
    const comped = createEvent('SeatsComped', { bookingId: booking(5), userId: ADMIN, scheduleId: SCHEDULE, seatIds: [seat(1), seat(3)], seatSequence: 51 }, meta(booking(5), 0));
    const compRefunded = createEvent(
      'BookingRefunded',
      { bookingId: booking(5), userId: ADMIN, scheduleId: SCHEDULE, seatIds: [seat(1), seat(3)], paymentId: null, amount: 0, reason: 'no-show', refundedBy: 'ADMIN', requestedBy: ADMIN, seatSequence: 52 },
      meta(booking(5), 1),
    );
    const sold = fold([seatsAdded, blocked([seat(1), seat(3)]), released([seat(1), seat(3)], 1), comped]);
    expect(sold.totals).toMatchObject({ seatsBlocked: 0, seatsSold: 2, revenue: 0 });
    expect(sold.sections['VIP']).toMatchObject({ seatsSold: 1 });
    expect(sold.sections['R']).toMatchObject({ seatsSold: 1 });

    const freed = fold([seatsAdded, blocked([seat(1), seat(3)]), released([seat(1), seat(3)], 1), comped, compRefunded]);
    expect(freed.totals).toMatchObject({ seatsSold: 0, revenue: 0 });
    expect(seatsAvailable(freed.totals)).toBe(5);
  });

  it('given a hold that expired, then its seats are available again and it counts as expired, with no revenue', () => {
    const { totals, sections } = fold([seatsAdded, held(2, [seat(4), seat(5)], 200_000), expired(2, [seat(4), seat(5)])]);
    expect(totals).toMatchObject({ seatsHeld: 0, seatsSold: 0, revenue: 0, bookingsExpired: 1 });
    expect(sections['R']?.seatsHeld ?? 0).toBe(0);
    expect(seatsAvailable(totals)).toBe(5);
  });

  it('given a pending hold, then its seats count as held in their section', () => {
    const { totals, sections } = fold([seatsAdded, held(3, [seat(2)], 200_000)]);
    expect(totals.seatsHeld).toBe(1);
    expect(sections['VIP']).toMatchObject({ seatsHeld: 1 });
    expect(seatsAvailable(totals)).toBe(4);
  });

  it('given 4 fans admitted and one confirmed booking, then conversion is 0.25; before any admission it is 0', () => {
    const seatIds = [seat(3)];
    const { totals } = fold([seatsAdded, admitted(1), admitted(2), admitted(3), admitted(4), held(4, seatIds, 100_000), confirmed(4, seatIds, 100_000)]);
    expect(totals.fansAdmitted).toBe(4);
    expect(conversion(totals)).toBe(0.25);
    expect(conversion(emptyCounters())).toBe(0);
  });

  it('given a refund of a booking whose hold was seen, then it is counted on that schedule; of one never seen, then on none', () => {
    const seatIds = [seat(5)];
    const refund = (n: number) => createEvent('PaymentRefunded', { paymentId: id('c', n), bookingId: booking(n), userId: FAN, amount: 100_000 }, meta(id('c', n), 1));
    expect(fold([seatsAdded, held(5, seatIds, 100_000), confirmed(5, seatIds, 100_000), refund(5)]).totals.refunded).toBe(100_000);
    expect(salesDeltaOf(refund(6), { booking: () => undefined, seat: () => undefined })).toBeNull();
  });

  it('given a hold of seats the projection never saw added, then they are counted under an unknown section and available never goes below 0', () => {
    const stranger = [id('9', 1), id('9', 2)];
    const fact = bookingFactOf(held(7, stranger, 50_000).payload, () => undefined);
    expect(fact.sections).toEqual([{ section: UNKNOWN_SECTION, seats: 2, share: 50_000 }]);
    const { totals } = fold([held(7, stranger, 50_000)]);
    expect(totals.seatsHeld).toBe(2);
    expect(seatsAvailable(totals)).toBe(0);
  });
});
