import { randomUUID } from 'node:crypto';
import { type Pool } from 'pg';
import { Role } from '@ticketing/platform';
import { createScratchPool } from '@ticketing/test-support';
import { blockSeats, type BlockSeatsResult } from '../src/application/block-seats.command';
import { holdSeats, type HoldSeatsResult } from '../src/application/hold-seats.command';
import type { AdmissionChecker, SeatCatalog, SeatLocks } from '../src/application/ports';
import { releaseSeats } from '../src/application/release-seats.command';
import { createPgBookingWriter } from '../src/adapters/persistence/pg-booking.writer';

let db: { pool: Pool; drop: () => Promise<void> };
let pool: Pool;

beforeAll(async () => {
  db = await createScratchPool('booking', 20);
  pool = db.pool;
});
afterAll(() => db.drop());

/** Redis that lies: every lock is granted, so only PostgreSQL's one-live-claim index stands between the callers. */
const lyingLocks: SeatLocks = { acquire: async () => ({ release: async () => undefined }), releaseOwned: async () => undefined };
const admitted: AdmissionChecker = { check: async () => ({ admitted: true, ticketId: `ticket-${randomUUID()}`, expiresAt: new Date(Date.now() + 600_000) }) };
const catalogOf = (seatIds: readonly string[]): SeatCatalog => ({
  saleTerms: async () => ({ seatPrices: new Map(seatIds.map((id) => [id, 10_000])), maxSeatsPerFan: 4 }),
});
const causation = { correlationId: 'fence-test', causationId: null };

async function liveClaims(seatIds: readonly string[]) {
  const { rows } = await pool.query<{ seat_id: string; booking_id: string | null; block_id: string | null }>(
    `SELECT seat_id::text, booking_id::text, block_id::text FROM seat_claims
      WHERE seat_id = ANY($1::uuid[]) AND status IN ('HELD', 'PAYMENT_PENDING', 'CONFIRMED', 'BLOCKED')`,
    [seatIds],
  );
  return rows;
}

describe('the seat fence without Redis', () => {
  it('given locks that grant everyone, when 30 fans hold and 15 admins block overlapping seats at once, then every seat has at most one live claim and every answer matches it', async () => {
    const scheduleId = randomUUID();
    const seats = Array.from({ length: 10 }, () => randomUUID());
    const writer = createPgBookingWriter(pool);
    const deps = { writer, catalog: catalogOf(seats), locks: lyingLocks };
    const hold = holdSeats({ ...deps, admission: admitted, holdTtlSeconds: 300 });
    const block = blockSeats(deps);
    const pick = (max: number) => {
      const picked = new Set<string>();
      const n = 1 + Math.floor(Math.random() * max);
      while (picked.size < n) picked.add(seats[Math.floor(Math.random() * seats.length)]!);
      return [...picked];
    };
    const fanWants = Array.from({ length: 30 }, () => pick(3));
    const adminWants = Array.from({ length: 15 }, () => pick(3));
    const admin = { userId: randomUUID(), role: Role.ADMIN };

    const [holds, blocks] = await Promise.all([
      Promise.all(fanWants.map((seatIds) => hold({ userId: randomUUID(), role: Role.USER }, { scheduleId, seatIds, queueToken: 'q', authorization: '' }, causation))),
      Promise.all(adminWants.map((seatIds) => block(admin, { scheduleId, seatIds, reason: 'race' }, causation))),
    ]);

    const claims = await liveClaims(seats);
    expect(new Set(claims.map((claim) => claim.seat_id)).size).toBe(claims.length);
    const holderOf = new Map(claims.map((claim) => [claim.seat_id, claim]));
    holds.forEach((result: HoldSeatsResult, i) => {
      if (result.kind === 'Held') for (const seatId of fanWants[i]!) expect(holderOf.get(seatId)?.booking_id).toBe(result.booking.id);
      else expect(result.kind).toBe('SeatUnavailable');
    });
    blocks.forEach((result: BlockSeatsResult, i) => {
      if (result.kind === 'Blocked') for (const seatId of adminWants[i]!) expect(holderOf.get(seatId)?.block_id).toBe(result.blockId);
      else expect(result.kind).toBe('SeatsUnavailable');
    });
    const winners = new Set([...holds.flatMap((r) => (r.kind === 'Held' ? [r.booking.id] : [])), ...blocks.flatMap((r) => (r.kind === 'Blocked' ? [r.blockId] : []))]);
    expect(claims.filter((claim) => !winners.has((claim.booking_id ?? claim.block_id)!))).toEqual([]);
    expect(winners.size).toBeGreaterThan(0);
  });

  it('given a blocked seat, when 20 admins release it and 20 fans hold it at once, then it is released once (one SeatsReleased) and at most one fan holds it', async () => {
    const scheduleId = randomUUID();
    const seat = randomUUID();
    const writer = createPgBookingWriter(pool);
    const deps = { writer, catalog: catalogOf([seat]), locks: lyingLocks };
    const admin = { userId: randomUUID(), role: Role.ADMIN };
    const blocked = await blockSeats(deps)(admin, { scheduleId, seatIds: [seat], reason: 'VIP' }, causation);
    expect(blocked.kind).toBe('Blocked');
    const release = releaseSeats(deps);
    const hold = holdSeats({ ...deps, admission: admitted, holdTtlSeconds: 300 });

    const [releases, holds] = await Promise.all([
      Promise.all(Array.from({ length: 20 }, () => release(admin, { scheduleId, seatIds: [seat] }, causation))),
      Promise.all(Array.from({ length: 20 }, () => hold({ userId: randomUUID(), role: Role.USER }, { scheduleId, seatIds: [seat], queueToken: 'q', authorization: '' }, causation))),
    ]);

    expect(releases.filter((result) => result.kind === 'Released')).toHaveLength(1);
    expect(releases.filter((result) => result.kind !== 'Released').every((result) => result.kind === 'SeatsNotBlocked')).toBe(true);
    const { rows: events } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE aggregate_id = $1 AND event_type = 'SeatsReleased'`, [
      blocked.kind === 'Blocked' ? blocked.blockId : '',
    ]);
    expect(events[0]!.n).toBe(1);
    const held = holds.filter((result) => result.kind === 'Held');
    expect(held.length).toBeLessThanOrEqual(1);
    expect(await liveClaims([seat])).toEqual(held.map((result) => ({ seat_id: seat, booking_id: result.kind === 'Held' ? result.booking.id : null, block_id: null })));
  });
});
