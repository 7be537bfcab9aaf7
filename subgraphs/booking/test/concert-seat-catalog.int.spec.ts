import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { addSeats, closeDatabases, openSchedule, testSystem } from '@ticketing/test-support';
import { createConcertSeatCatalog } from '../src/adapters/http/concert-seat.catalog';
import type { SeatCatalog } from '../src/application/ports';

/*
 * Booking's copy of a schedule's sale terms against the real concert subgraph, seen through a
 * proxy that counts the terms requests (`BookingSaleTerms`) and can hold their answers back.
 * Counted, never timed: what matters is which calls wait for concert and how many requests
 * concert gets.
 */

const TTL_MS = 3_000;
const MAX_AGE_MS = 6_000;

interface TermsProxy {
  url: string;
  /** Terms requests forwarded so far. */
  termsRequests: () => number;
  /** Terms answers wait until `release` (other requests pass). */
  holdTerms: () => void;
  release: () => void;
  close: () => Promise<void>;
}

async function startTermsProxy(concertUrl: string): Promise<TermsProxy> {
  const target = new URL(concertUrl);
  let count = 0;
  let held: Array<() => void> | null = null;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const isTerms = body.includes('BookingSaleTerms');
      if (isTerms) count += 1;
      const forward = () => {
        const upstream = http.request(
          { host: target.hostname, port: target.port, path: target.pathname, method: 'POST', headers: { ...req.headers, host: target.host } },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        upstream.on('error', () => res.destroy());
        upstream.end(body);
      };
      if (isTerms && held) held.push(forward);
      else forward();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    termsRequests: () => count,
    holdTerms: () => {
      held = [];
    },
    release: () => {
      const waiting = held ?? [];
      held = null;
      waiting.forEach((forward) => forward());
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Whether `promise` settles within a second: ample for a hold that asks concert nothing it holds back. */
async function settlesSoon(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  void promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  return settled;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let proxy: TermsProxy;
let scheduleId: string;
let firstSeats: string[];
let catalog: SeatCatalog;

beforeAll(async () => {
  proxy = await startTermsProxy(testSystem().env['CONCERT_URL']!);
  scheduleId = await openSchedule();
  firstSeats = await addSeats(scheduleId, 4, 40_000);
  // missRefreshMs far away: these specs are about age, not about a seat the terms lack.
  catalog = createConcertSeatCatalog({ concertUrl: proxy.url, ttlMs: TTL_MS, maxAgeMs: MAX_AGE_MS, missRefreshMs: 60_000 });
});
afterAll(async () => {
  proxy.release();
  await proxy.close();
  await closeDatabases();
});

describe("booking's copy of a schedule's sale terms", () => {
  it('given no terms yet, concurrent holds share one request and wait for it', async () => {
    const answers = await Promise.all(Array.from({ length: 10 }, () => catalog.saleTerms(scheduleId, firstSeats)));
    expect(proxy.termsRequests()).toBe(1);
    for (const terms of answers) expect([...terms!.seatPrices.keys()].sort()).toEqual([...firstSeats].sort());
  });

  it('given terms younger than the TTL, a hold uses them without asking concert', async () => {
    const before = proxy.termsRequests();
    await catalog.saleTerms(scheduleId, firstSeats);
    await catalog.saleTerms(scheduleId, firstSeats);
    expect(proxy.termsRequests()).toBe(before);
  });

  it('given terms past the TTL but under the maximum age, holds answer from them while one request refreshes them', async () => {
    const added = await addSeats(scheduleId, 2, 90_000);
    await sleep(TTL_MS + 50);
    const before = proxy.termsRequests();
    proxy.holdTerms();
    // Concert's answer is held back: the holds must not wait for it.
    const answers = Promise.all(Array.from({ length: 10 }, () => catalog.saleTerms(scheduleId, firstSeats)));
    expect(await settlesSoon(answers)).toBe(true);
    for (const terms of await answers) expect(terms!.seatPrices.has(added[0]!)).toBe(false);
    expect(proxy.termsRequests()).toBe(before + 1);

    proxy.release();
    let refreshed = await catalog.saleTerms(scheduleId, firstSeats);
    for (let polls = 0; !refreshed!.seatPrices.has(added[0]!) && polls < 100; polls += 1) {
      await sleep(10);
      refreshed = await catalog.saleTerms(scheduleId, firstSeats);
    }
    expect(refreshed!.seatPrices.get(added[0]!)).toBe(90_000);
    expect(proxy.termsRequests()).toBe(before + 1);
  });

  it('given terms older than the maximum age, a hold waits for fresh ones', async () => {
    const added = await addSeats(scheduleId, 1, 120_000);
    await sleep(MAX_AGE_MS + 100);
    const before = proxy.termsRequests();
    proxy.holdTerms();
    const answer = catalog.saleTerms(scheduleId, firstSeats);
    expect(await settlesSoon(answer)).toBe(false);
    proxy.release();
    expect((await answer)!.seatPrices.get(added[0]!)).toBe(120_000);
    expect(proxy.termsRequests()).toBe(before + 1);
  });
});
