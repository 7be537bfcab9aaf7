import { randomUUID } from 'node:crypto';
import { decodeCursor, encodeCursor, toKeysetPage, validatePageRequest } from '../src/keyset-page';

const row = (createdAt: string, id = randomUUID()) => ({ id, title: 'T', createdAt: new Date(createdAt) });

describe('keyset cursors', () => {
  it('given a position, when encoded and decoded, then the same position comes back', () => {
    const position = { createdAt: new Date('2030-05-01T19:00:00.123Z'), id: randomUUID() };

    const cursor = encodeCursor(position);

    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toEqual(position);
  });

  it('given an upper-case id in a cursor, when decoded, then the id is in PostgreSQL form', () => {
    const id = randomUUID();
    const cursor = Buffer.from(`2030-05-01T19:00:00.000Z|${id.toUpperCase()}`).toString('base64url');

    expect(decodeCursor(cursor)?.id).toBe(id);
  });

  it.each([
    ['an empty string', ''],
    ['characters outside base64url', 'abc+/='],
    ['plain text', 'page-2'],
    ['a non-canonical encoding', `${encodeCursor({ createdAt: new Date(0), id: randomUUID() })}A`],
    ['a date that is not ISO', Buffer.from(`yesterday|${randomUUID()}`).toString('base64url')],
    ['an impossible date', Buffer.from(`2030-02-30T00:00:00.000Z|${randomUUID()}`).toString('base64url')],
    ['an id that is not a UUID', Buffer.from('2030-05-01T19:00:00.000Z|42').toString('base64url')],
    ['an extra part', Buffer.from(`2030-05-01T19:00:00.000Z|${randomUUID()}|x`).toString('base64url')],
    ['a huge string', 'A'.repeat(10_000)],
  ])('given %s, when decoded, then it is refused', (_case, cursor) => {
    expect(decodeCursor(cursor)).toBeNull();
  });
});

describe('page requests', () => {
  it('given no arguments, when validated, then the page holds 20 rows from the start', () => {
    expect(validatePageRequest({})).toEqual({ first: 20, after: null });
    expect(validatePageRequest({ first: null, after: null })).toEqual({ first: 20, after: null });
  });

  it.each([1, 50, 100])('given first = %d, when validated, then it is accepted', (first) => {
    expect(validatePageRequest({ first })).toEqual({ first, after: null });
  });

  it.each([0, -1, 101, 1_000_000, 1.5, Number.NaN])('given first = %d, when validated, then it is InvalidPageSize', (first) => {
    expect(validatePageRequest({ first })).toEqual({ kind: 'InvalidPageSize', min: 1, max: 100 });
  });

  it('given a cursor we issued, when validated, then it is the position to continue after', () => {
    const position = { createdAt: new Date('2030-01-01T00:00:00.000Z'), id: randomUUID() };

    expect(validatePageRequest({ first: 5, after: encodeCursor(position) })).toEqual({ first: 5, after: position });
  });

  it('given a forged cursor, when validated, then it is InvalidCursor', () => {
    expect(validatePageRequest({ after: 'not-a-cursor' })).toEqual({ kind: 'InvalidCursor' });
  });
});

describe('pages', () => {
  const rows = [row('2030-01-03T00:00:00.000Z'), row('2030-01-02T00:00:00.000Z'), row('2030-01-01T00:00:00.000Z')];

  it('given one row more than asked for, when paged, then the extra row only says that another page exists', () => {
    const page = toKeysetPage(rows, 2);

    expect(page.nodes).toEqual(rows.slice(0, 2));
    expect(page.pageInfo.hasNextPage).toBe(true);
    expect(decodeCursor(page.pageInfo.endCursor!)).toEqual({ createdAt: rows[1]!.createdAt, id: rows[1]!.id });
  });

  it('given no more rows than asked for, when paged, then it is the last page', () => {
    const page = toKeysetPage(rows, 3);

    expect(page.nodes).toHaveLength(3);
    expect(page.pageInfo.hasNextPage).toBe(false);
  });

  it('given no rows, when paged, then the page is empty and has no end cursor', () => {
    expect(toKeysetPage([], 20)).toEqual({ nodes: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });
});
