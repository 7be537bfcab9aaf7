import { issueAdmissionPass } from '@ticketing/contracts';
import {
  addSeats,
  admitFreely,
  admittedFan,
  BOOKING_FIELDS,
  bookingReaches,
  chargeWallet,
  closeDatabases,
  gql,
  holdSeats,
  logInAdmin,
  openSchedule,
  payBooking,
  sql,
  testSystem,
  type AdmittedFan,
} from '@ticketing/test-support';

/*
 * Admission passes through the gateway against the running system (ADR 0013): the queue issues
 * one with every ACTIVE ticket, booking checks it alone, and the guarantees of the waiting room's
 * own check stay: only its fan, only its schedule, only until its expiry, and never again once
 * the ticket's booking was sold (the queue retires such a ticket; booking knows it by index).
 */
const PRICE = 50_000;
const REFUND = `mutation R($b: ID!, $r: String!) { refundBooking(bookingId: $b, reason: $r) { ${BOOKING_FIELDS} } }`;

let scheduleId: string;
let seats: string[];

const passSecret = () => testSystem().env['ADMISSION_PASS_SECRET']!;
const bookingsOnTicket = async (pass: string) =>
  (await sql<{ status: string }>('booking', 'SELECT status::text FROM bookings WHERE queue_ticket_id = $1 ORDER BY created_at', [pass.split('.')[2]])).map((row) => row.status);
const bookingsOf = async (userId: string) => Number((await sql<{ n: string }>('booking', 'SELECT count(*)::text AS n FROM bookings WHERE user_id = $1', [userId]))[0]!.n);
/** The pass with its `index`-th dot-separated part replaced. */
const withPart = (pass: string, index: number, value: string) => pass.split('.').map((part, i) => (i === index ? value : part)).join('.');

beforeAll(async () => {
  scheduleId = await openSchedule();
  seats = await addSeats(scheduleId, 60, PRICE);
  await admitFreely(scheduleId);
});
afterAll(() => closeDatabases());

describe('holding with an admission pass', () => {
  it('given an ACTIVE ticket, its pass holds seats, and so does its queue token', async () => {
    const [withPass, withToken] = await Promise.all([admittedFan(scheduleId), admittedFan(scheduleId)]);
    expect(withPass.admissionPass).toMatch(/^p1\./);
    expect((await holdSeats(withPass, scheduleId, [seats[0]!])).booking?.status).toBe('HELD');
    expect((await holdSeats({ ...withToken, admissionPass: undefined }, scheduleId, [seats[1]!])).booking?.status).toBe('HELD');
  });

  describe('refuses with QUEUE_TOKEN_INVALID and writes nothing', () => {
    let fan: AdmittedFan;
    let pass: string;
    beforeAll(async () => {
      fan = await admittedFan(scheduleId);
      pass = fan.admissionPass!;
    });
    afterEach(async () => expect(await bookingsOf(fan.id)).toBe(0));

    const ticketId = () => pass.split('.')[2]!;
    it.each([
      ['a pass whose expiry was pushed later', () => withPart(pass, 3, String(Date.now() + 3_600_000))],
      ['a pass moved to another ticket', () => withPart(pass, 2, '7a1c0000-0000-4000-8000-000000000099')],
      ['a pass with its MAC cut short', () => pass.slice(0, -2)],
      ['a pass signed with another secret', () => issueAdmissionPass('not-the-deployment-secret-0000000', { scheduleId, ticketId: ticketId(), expiresAt: new Date(Date.now() + 600_000) }, fan.id)],
      ['a genuine pass that has expired', () => issueAdmissionPass(passSecret(), { scheduleId, ticketId: ticketId(), expiresAt: new Date(Date.now() - 1) }, fan.id)],
      ['garbage shaped like a pass', () => 'p1.' + 'x'.repeat(5_000)],
    ])('%s', async (_case, forged) => {
      expect((await holdSeats({ ...fan, admissionPass: forged() }, scheduleId, [seats[10]!])).code).toBe('QUEUE_TOKEN_INVALID');
    });
  });

  it('given 16 holds racing with one pass, then exactly one is HELD and the rest are CONFLICT: one live booking per ticket', async () => {
    const fan = await admittedFan(scheduleId);
    const results = await Promise.all(seats.slice(20, 36).map((seat) => holdSeats(fan, scheduleId, [seat])));
    expect(results.filter((r) => r.booking?.status === 'HELD')).toHaveLength(1);
    expect(results.filter((r) => r.code === 'CONFLICT')).toHaveLength(15);
    expect(await bookingsOnTicket(fan.admissionPass!)).toEqual(['HELD']);
  });

  it('given the ticket backed a booking that was sold, then its pass holds nothing more, and still nothing once that booking is refunded', async () => {
    const fan = await admittedFan(scheduleId);
    await chargeWallet(fan, PRICE);
    const held = await holdSeats(fan, scheduleId, [seats[40]!]);
    expect((await payBooking(fan, held.booking!.id)).code).toBeUndefined();
    await bookingReaches(fan, held.booking!.id, ['CONFIRMED']);

    // The pass alone cannot know the ticket was retired: booking's own rows say so.
    expect((await holdSeats(fan, scheduleId, [seats[41]!])).code).toBe('QUEUE_TOKEN_INVALID');
    const refunded = await gql(REFUND, { b: held.booking!.id, r: 'changed plans' }, { token: await logInAdmin() });
    expect(refunded.errors).toBeUndefined();
    expect((await holdSeats(fan, scheduleId, [seats[41]!])).code).toBe('QUEUE_TOKEN_INVALID');
    // Racing retries after the refund change nothing either.
    const retries = await Promise.all(seats.slice(42, 50).map((seat) => holdSeats(fan, scheduleId, [seat])));
    expect(retries.map((r) => r.code)).toEqual(Array(8).fill('QUEUE_TOKEN_INVALID'));
    expect(await bookingsOnTicket(fan.admissionPass!)).toEqual(['REFUNDED']);
  });
});
