import { keyset } from '@ticketing/platform';
import { listMyBookings } from '../src/application/list-my-bookings.query';

const { decodeCursor, encodeCursor, MAX_PAGE_SIZE } = keyset;
import type { BookingStore } from '../src/application/ports';

const viewer = { userId: '0f0f0f0f-0000-4000-8000-000000000001', role: 'USER' as const };

function storeSpy() {
  const calls: unknown[] = [];
  const store: Pick<BookingStore, 'findByIds' | 'listByUser'> = {
    findByIds: async () => [],
    listByUser: async (query) => {
      calls.push(query);
      return { bookings: [], hasNextPage: false };
    },
  };
  return { store, calls };
}

describe('booking cursors', () => {
  it('round-trip the keyset position of a booking', () => {
    const cursor = { createdAt: new Date('2031-06-01T00:00:03.000Z'), id: 'a1b2c3d4-0000-4000-8000-000000000001' };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
  });

  it.each([
    ['garbage', 'garbage'],
    ['empty', ''],
    ['a bad id', Buffer.from('2031-06-01T00:00:00.000Z|nope').toString('base64url')],
    ['an impossible date', Buffer.from('2031-02-30T00:00:00.000Z|a1b2c3d4-0000-4000-8000-000000000001').toString('base64url')],
    ['extra parts', Buffer.from('2031-06-01T00:00:00.000Z|a1b2c3d4-0000-4000-8000-000000000001|x').toString('base64url')],
    ['something huge', 'A'.repeat(10_000)],
  ])('refuse %s', (_case, value) => {
    expect(decodeCursor(value)).toBeNull();
  });
});

describe('listMyBookings', () => {
  it('given no page size, when listing, then it asks the store for the default page of the caller only', async () => {
    const { store, calls } = storeSpy();
    const result = await listMyBookings({ bookings: store })(viewer, {});
    expect(result).toEqual({ kind: 'Page', nodes: [], pageInfo: { hasNextPage: false, endCursor: null } });
    expect(calls).toEqual([{ userId: viewer.userId, first: 20, after: null }]);
  });

  it.each([0, -1, MAX_PAGE_SIZE + 1, 2.5])('given first = %p, then InvalidPageSize and no query', async (first) => {
    const { store, calls } = storeSpy();
    expect(await listMyBookings({ bookings: store })(viewer, { first })).toEqual({ kind: 'InvalidPageSize', min: 1, max: MAX_PAGE_SIZE });
    expect(calls).toEqual([]);
  });

  it('given a cursor that is not ours, then InvalidCursor and no query', async () => {
    const { store, calls } = storeSpy();
    expect(await listMyBookings({ bookings: store })(viewer, { after: 'bogus' })).toEqual({ kind: 'InvalidCursor' });
    expect(calls).toEqual([]);
  });
});
