import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { createEvent, createEventParser, EVENTS, parseEvent, type EventType, type KnownEvent } from '../src';

const NOW = new Date('2025-03-01T10:00:00.000Z');
const id = () => randomUUID();

function envelope(type: string, payload: Record<string, unknown>, overrides: Record<string, unknown> = {}) {
  return {
    eventId: id(),
    type,
    schemaVersion: 1,
    stream: { type: type.startsWith('Payment') && type !== 'PaymentRequested' ? 'payment' : 'booking', id: id() },
    streamVersion: 0,
    occurredAt: NOW.toISOString(),
    correlationId: 'req-1',
    causationId: null,
    payload,
    ...overrides,
  };
}

const seatsHeld = () => ({
  bookingId: id(),
  userId: id(),
  scheduleId: id(),
  seatIds: [id(), id()],
  amount: 240_000,
  heldUntil: '2025-03-01T10:05:00.000Z',
  queueTicketId: 'ticket-1',
  seatSequence: 41,
});

/** One valid payload per catalogue event. */
const VALID: Record<EventType, () => Record<string, unknown>> = {
  SeatsHeld: seatsHeld,
  PaymentRequested: () => ({ bookingId: id(), userId: id(), amount: 120_000 }),
  BookingConfirmed: () => ({
    bookingId: id(),
    userId: id(),
    scheduleId: id(),
    seatIds: [id()],
    amount: 0,
    currency: 'KRW',
    paymentId: id(),
    queueTicketId: 'ticket-1',
    seatSequence: 42,
    heldUntil: '2025-03-01T10:05:00.000Z',
  }),
  BookingCancelled: () => ({ bookingId: id(), userId: id(), scheduleId: id(), seatIds: [id()], reason: 'payment failed: INSUFFICIENT_BALANCE', seatSequence: 43 }),
  BookingExpired: () => ({ bookingId: id(), userId: id(), scheduleId: id(), seatIds: [id()], seatSequence: 44 }),
  RefundRequested: () => ({ bookingId: id(), paymentId: id(), userId: id(), amount: 1, reason: 'booking expired before payment' }),
  BookingRefunded: () => ({
    bookingId: id(),
    userId: id(),
    scheduleId: id(),
    seatIds: [id()],
    paymentId: id(),
    amount: 120_000,
    reason: 'the artist is ill',
    refundedBy: 'ADMIN',
    requestedBy: id(),
    seatSequence: 45,
  }),
  SeatsComped: () => ({ bookingId: id(), userId: id(), scheduleId: id(), seatIds: [id(), id()], seatSequence: 46 }),
  SeatsBlocked: () => ({ blockId: id(), scheduleId: id(), seatIds: [id(), id()], reason: 'VIP', blockedBy: id(), seatSequence: 7 }),
  SeatsReleased: () => ({ blockId: id(), scheduleId: id(), seatIds: [id()], releasedBy: id(), seatSequence: 8 }),
  PaymentCompleted: () => ({ paymentId: id(), bookingId: id(), userId: id(), amount: 120_000 }),
  PaymentFailed: () => ({ paymentId: id(), bookingId: id(), userId: id(), amount: 120_000, reason: 'INSUFFICIENT_BALANCE' }),
  PaymentRefunded: () => ({ paymentId: id(), bookingId: id(), userId: id(), amount: 120_000 }),
  WalletCharged: () => ({ userId: id(), amount: 50_000, balanceAfter: 170_000, ledgerEntryId: 7, idempotencyKey: 'order-42:retry.1' }),
  WalletDebited: () => ({ userId: id(), amount: 120_000, balanceAfter: 50_000, ledgerEntryId: 8, paymentId: id(), bookingId: id() }),
  WalletRefunded: () => ({ userId: id(), amount: 120_000, balanceAfter: 170_000, ledgerEntryId: 9, paymentId: id(), bookingId: id() }),
  UserRegistered: () => ({ userId: id(), role: 'USER', registeredAt: NOW.toISOString() }),
  UserRoleChanged: () => ({ userId: id(), previousRole: 'USER', role: 'ADMIN' }),
  UserLocked: () => ({ userId: id(), lockedBy: id() }),
  UserUnlocked: () => ({ userId: id(), unlockedBy: id() }),
  ConcertCreated: () => ({ concertId: id(), title: 'Midnight Aurora Tour', artist: 'Seoul Lights', venue: 'KSPO Dome, Seoul' }),
  ConcertChanged: () => ({ concertId: id(), venue: 'Olympic Hall, Seoul' }),
  ScheduleCreated: () => ({ scheduleId: id(), concertId: id(), startsAt: '2025-04-01T19:00:00.000Z', bookingOpensAt: NOW.toISOString(), maxSeatsPerFan: 4 }),
  ScheduleChanged: () => ({ scheduleId: id(), maxSeatsPerFan: 2 }),
  SeatsAdded: () => ({ scheduleId: id(), seats: [{ seatId: id(), section: 'A', row: '1', number: 1, price: 165_000 }] }),
  SectionPriceChanged: () => ({ scheduleId: id(), section: 'A', price: 170_000, previousPrice: 165_000 }),
  SalesClosed: () => ({ scheduleId: id(), closedAt: NOW.toISOString(), reason: 'the venue lost power', closedBy: id() }),
  SalesOpened: () => ({ scheduleId: id(), openedAt: NOW.toISOString(), bookingOpensAt: NOW.toISOString(), openedBy: id() }),
  FanAdmitted: () => ({ scheduleId: id(), ticketId: id(), queueNumber: 1, admittedAt: NOW.toISOString(), expiresAt: '2025-03-01T10:10:00.000Z' }),
  TicketRetired: () => ({ scheduleId: id(), ticketId: id(), userId: id(), bookingId: id(), queueNumber: 1, retiredAt: NOW.toISOString() }),
  QueuePolicyChanged: () => ({ scheduleId: id(), changedBy: id(), admitsPerSecond: 80, maxActive: 500, previous: { admitsPerSecond: 50, maxActive: 1_000 } }),
  QueuePaused: () => ({ scheduleId: id(), changedBy: id() }),
  QueueResumed: () => ({ scheduleId: id(), changedBy: id() }),
};

describe('the event catalogue', () => {
  it.each(Object.keys(EVENTS) as EventType[])('reads a valid %s at its current schemaVersion', (type) => {
    const payload = VALID[type]();
    const { schemaVersion, stream } = EVENTS[type];
    const result = parseEvent(envelope(type, payload, { schemaVersion, stream: { type: stream, id: id() } }));
    expect(result).toEqual({ ok: true, value: expect.objectContaining({ type, schemaVersion, payload }) });
  });

  it('narrows the payload by type for consumers', () => {
    const result = parseEvent(envelope('PaymentFailed', VALID.PaymentFailed(), { stream: { type: 'payment', id: id() } }));
    if (!result.ok) throw new Error(result.reason);
    const event: KnownEvent = result.value;
    if (event.type !== 'PaymentFailed') throw new Error(`unexpected ${event.type}`);
    expect(event.payload.reason).toBe('INSUFFICIENT_BALANCE');
  });

  it('drops payload fields it does not know yet (additive changes do not break old consumers)', () => {
    const result = parseEvent(envelope('SeatsHeld', { ...seatsHeld(), section: 'A' }));
    expect(result.ok && 'section' in result.value.payload).toBe(false);
  });

  it('rejects an unknown event type, also one named like an Object.prototype member', () => {
    for (const type of ['SeatsTeleported', 'constructor', '__proto__', 'toString']) {
      expect(parseEvent(envelope(type, {}))).toEqual({ ok: false, reason: `unknown event type "${type}"` });
    }
  });

  it('rejects an event on the wrong stream type', () => {
    const result = parseEvent(envelope('PaymentCompleted', VALID.PaymentCompleted(), { stream: { type: 'booking', id: id() } }));
    expect(result).toEqual({ ok: false, reason: 'PaymentCompleted belongs to payment streams, not booking' });
  });

  it('rejects a schemaVersion newer than this consumer reads', () => {
    const result = parseEvent(envelope('SeatsHeld', seatsHeld(), { schemaVersion: 2 }));
    expect(!result.ok && result.reason).toMatch(/SeatsHeld schemaVersion 2 is newer/);
  });

  it('rejects a malformed envelope before looking at the payload', () => {
    const result = parseEvent(envelope('SeatsHeld', seatsHeld(), { eventId: 'nope' }));
    expect(!result.ok && result.reason).toContain('eventId');
  });

  it.each<[string, EventType, (p: Record<string, unknown>) => Record<string, unknown>, string]>([
    ['no seatIds', 'SeatsHeld', ({ seatIds: _s, ...p }) => p, 'payload.seatIds'],
    ['an empty seat list', 'SeatsHeld', (p) => ({ ...p, seatIds: [] }), 'payload.seatIds'],
    ['the same seat twice', 'SeatsHeld', (p) => ({ ...p, seatIds: ['7d3c4b1e-2f5a-4c6b-9d8e-1a2b3c4d5e6f', '7d3c4b1e-2f5a-4c6b-9d8e-1a2b3c4d5e6f'] }), 'unique'],
    ['a seat id that is not a UUID', 'SeatsHeld', (p) => ({ ...p, seatIds: ['A-12'] }), 'payload.seatIds.0'],
    ['a negative amount', 'SeatsHeld', (p) => ({ ...p, amount: -1 }), 'payload.amount'],
    ['a fractional amount', 'PaymentRequested', (p) => ({ ...p, amount: 10.5 }), 'payload.amount'],
    ['the amount as a string', 'PaymentCompleted', (p) => ({ ...p, amount: '100' }), 'payload.amount'],
    ['heldUntil that is not a date-time', 'SeatsHeld', (p) => ({ ...p, heldUntil: 'in five minutes' }), 'payload.heldUntil'],
    ['a failure without reason', 'PaymentFailed', ({ reason: _r, ...p }) => p, 'payload.reason'],
    ['a bookingId that is not a UUID', 'BookingConfirmed', (p) => ({ ...p, bookingId: 42 }), 'payload.bookingId'],
    ['a confirmation without paymentId', 'BookingConfirmed', ({ paymentId: _p, ...p }) => p, 'payload.paymentId'],
  ])('rejects a payload with %s and names the field', (_case, type, mutate, reason) => {
    const result = parseEvent(envelope(type, mutate(VALID[type]()), { schemaVersion: EVENTS[type].schemaVersion, stream: { type: EVENTS[type].stream, id: id() } }));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toContain(reason);
  });
});

describe('createEvent', () => {
  it('writes the current version, the stream of the catalogue and a checked payload', () => {
    const payload = VALID.PaymentRequested() as { bookingId: string; userId: string; amount: number };
    const eventId = id();
    const event = createEvent('PaymentRequested', payload, {
      eventId,
      streamId: payload.bookingId,
      streamVersion: 1,
      now: NOW,
      correlationId: 'req-9',
      causationId: 'req-9',
    });
    expect(event).toEqual({
      eventId,
      type: 'PaymentRequested',
      schemaVersion: 1,
      stream: { type: 'booking', id: payload.bookingId },
      streamVersion: 1,
      occurredAt: NOW.toISOString(),
      correlationId: 'req-9',
      causationId: 'req-9',
      payload,
    });
    expect(parseEvent(JSON.stringify(event))).toEqual({ ok: true, value: event });
  });

  it('throws on a payload that breaks the contract (a producer bug, never written to the outbox)', () => {
    const meta = { eventId: id(), streamId: id(), streamVersion: 0, now: NOW, correlationId: 'c' };
    expect(() => createEvent('BookingExpired', { bookingId: id(), userId: id(), scheduleId: id(), seatIds: [], seatSequence: 1 }, meta)).toThrow(
      /Invalid BookingExpired payload: seatIds/,
    );
  });
});

describe('the upcaster hook', () => {
  // A made-up catalogue where v2 split `name` into `first`/`last`: how a breaking change ships.
  const PersonRenamedV2 = z.object({ first: z.string(), last: z.string() });
  const parse = createEventParser(
    { PersonRenamed: { schemaVersion: 2, stream: 'user', payload: PersonRenamedV2 } },
    {
      PersonRenamed: {
        1: {
          payload: z.object({ name: z.string() }),
          upcast: (old) => {
            const [first = '', ...rest] = String(old['name']).split(' ');
            return { first, last: rest.join(' ') };
          },
        },
      },
    },
  );
  const renamed = (schemaVersion: number, payload: Record<string, unknown>) =>
    envelope('PersonRenamed', payload, { schemaVersion, stream: { type: 'user', id: id() } });

  it('lifts an old version to the current one, so consumers handle only the latest shape', () => {
    const result = parse(renamed(1, { name: 'Kim Ji Won' }));
    expect(result).toEqual({ ok: true, value: expect.objectContaining({ schemaVersion: 2, payload: { first: 'Kim', last: 'Ji Won' } }) });
  });

  it('reads the current version as is', () => {
    expect(parse(renamed(2, { first: 'A', last: 'B' }))).toEqual({ ok: true, value: expect.objectContaining({ payload: { first: 'A', last: 'B' } }) });
  });

  it('rejects an old payload that does not match its own version', () => {
    const result = parse(renamed(1, { first: 'A' }));
    expect(!result.ok && result.reason).toContain('payload(v1).name');
  });

  it('rejects a version with no upcaster', () => {
    const parseWithoutHistory = createEventParser({ PersonRenamed: { schemaVersion: 2, stream: 'user', payload: PersonRenamedV2 } });
    expect(parseWithoutHistory(renamed(1, { name: 'A B' }))).toEqual({ ok: false, reason: 'PersonRenamed schemaVersion 1 is no longer readable' });
  });
});

describe('user events carry no personal data', () => {
  it('given an e-mail and a name passed by mistake, when UserRegistered is created, then neither reaches the envelope', () => {
    const payload = { userId: id(), role: 'USER' as const, registeredAt: NOW.toISOString(), email: 'fan@example.com', name: 'Kim Fan' };

    const event = createEvent('UserRegistered', payload, { eventId: id(), streamId: payload.userId, streamVersion: 0, now: NOW, correlationId: 'req-1' });

    expect(event.payload).toEqual({ userId: payload.userId, role: 'USER', registeredAt: payload.registeredAt });
    expect(JSON.stringify(event)).not.toMatch(/fan@example\.com|Kim Fan/);
  });
});
