import { block, release, type BlockClaim } from '../src/domain/seat-block';

const NOW = new Date('2030-05-01T10:00:00.000Z');
const SCHEDULE = 'd0000000-0000-4000-8000-000000000001';
const ADMIN = 'ad000000-0000-4000-8000-000000000001';
const seat = (n: number) => `e0000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const blockId = (n: number) => `b1000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const request = (seatIds: string[], reason = 'VIP guests') => ({ blockId: blockId(1), scheduleId: SCHEDULE, seatIds, reason, blockedBy: ADMIN });

describe('blocking seats', () => {
  it('given free seats, when an admin blocks them, then the block holds them sorted at version 0 and publishes SeatsBlocked', () => {
    const decided = block(request([seat(2), seat(1)]), [], NOW);

    expect(decided).toEqual({
      kind: 'Blocked',
      block: { id: blockId(1), scheduleId: SCHEDULE, reason: 'VIP guests', blockedBy: ADMIN, seatIds: [seat(1), seat(2)], version: 0 },
      step: {
        blockId: blockId(1),
        version: 0,
        seatIds: [seat(1), seat(2)],
        at: NOW,
        events: [{ type: 'SeatsBlocked', payload: { blockId: blockId(1), scheduleId: SCHEDULE, seatIds: [seat(1), seat(2)], reason: 'VIP guests', blockedBy: ADMIN } }],
      },
    });
  });

  it('given a seat a fan holds (or that is sold or blocked), when an admin blocks it with others, then nothing is blocked and the taken seats are named', () => {
    expect(block(request([seat(1), seat(2), seat(3)]), [seat(3), seat(2)], NOW)).toEqual({ kind: 'SeatsUnavailable', seatIds: [seat(2), seat(3)] });
  });

  it('given no reason, or one too long, then the block is refused', () => {
    expect(block(request([seat(1)], '   '), [], NOW)).toEqual({ kind: 'ReasonRequired', max: 500 });
    expect(block(request([seat(1)], 'x'.repeat(501)), [], NOW)).toEqual({ kind: 'ReasonRequired', max: 500 });
  });

  it('given no seats, a seat twice or more than 500, then the selection is refused', () => {
    expect(block(request([]), [], NOW)).toEqual({ kind: 'NoSeats' });
    expect(block(request([seat(1), seat(1)]), [], NOW)).toEqual({ kind: 'DuplicateSeats', seatIds: [seat(1)] });
    expect(block(request(Array.from({ length: 501 }, (_, i) => seat(i))), [], NOW)).toEqual({ kind: 'TooManySeats', max: 500 });
  });
});

describe('releasing blocked seats', () => {
  const claims: BlockClaim[] = [
    { seatId: seat(1), blockId: blockId(1), blockVersion: 0 },
    { seatId: seat(2), blockId: blockId(1), blockVersion: 0 },
    { seatId: seat(3), blockId: blockId(2), blockVersion: 3 },
  ];

  it('given seats of two blocks, when an admin releases them, then each block takes one step with SeatsReleased of its own seats', () => {
    const decided = release({ scheduleId: SCHEDULE, seatIds: [seat(3), seat(1)], releasedBy: ADMIN }, claims, NOW);

    expect(decided).toEqual({
      kind: 'Released',
      steps: [
        { blockId: blockId(1), version: 1, seatIds: [seat(1)], at: NOW, events: [{ type: 'SeatsReleased', payload: { blockId: blockId(1), scheduleId: SCHEDULE, seatIds: [seat(1)], releasedBy: ADMIN } }] },
        { blockId: blockId(2), version: 4, seatIds: [seat(3)], at: NOW, events: [{ type: 'SeatsReleased', payload: { blockId: blockId(2), scheduleId: SCHEDULE, seatIds: [seat(3)], releasedBy: ADMIN } }] },
      ],
    });
  });

  it('given a seat that is not blocked, when released with blocked ones, then nothing is released and it is named', () => {
    expect(release({ scheduleId: SCHEDULE, seatIds: [seat(1), seat(9)], releasedBy: ADMIN }, claims, NOW)).toEqual({ kind: 'SeatsNotBlocked', seatIds: [seat(9)] });
  });
});
