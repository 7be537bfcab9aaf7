import { randomUUID } from 'node:crypto';
import {
  admit,
  admitFreely,
  closeDatabases,
  createCatalogSchedule,
  errorCode,
  gql,
  holdSeats,
  logInAdmin,
  mapLimit,
  signUpFan,
  sql,
  type CatalogSchedule,
} from '@ticketing/test-support';

/*
 * setSectionPrice through the gateway, and the price freeze behind PRICE_FROZEN, with the real
 * queue (its admission worker asks the catalog to freeze before the first admission) and the
 * real booking subgraph (a hold's amount comes from the catalog's seat prices).
 */

jest.setTimeout(180_000);

const SET_PRICE = `mutation SetPrice($scheduleId: ID!, $section: String!, $price: Int!) {
  setSectionPrice(scheduleId: $scheduleId, section: $section, price: $price) { id pricesFrozenAt seats { id section price } }
}`;

interface PricedSchedule {
  id: string;
  pricesFrozenAt: string | null;
  seats: Array<{ id: string; section: string; price: number }>;
}

let admin: string;

beforeAll(async () => {
  admin = await logInAdmin();
});
afterAll(() => closeDatabases());

const setPrice = (token: string, scheduleId: string, section: string, price: number) =>
  gql<{ setSectionPrice: PricedSchedule }>(SET_PRICE, { scheduleId, section, price }, { token });

const onSaleNow = (sections: Array<{ section: string; price: number; seats: number }>) =>
  createCatalogSchedule(admin, {
    opensAt: new Date(Date.now() - 60_000),
    sections: sections.map(({ section, price, seats }) => ({ section, rows: ['1'], seatsPerRow: seats, price })),
  });

const seatsOf = (schedule: CatalogSchedule, section: string) => schedule.seats.filter((seat) => seat.section === section).map((seat) => seat.id);

async function priceEvents(scheduleId: string) {
  const rows = await sql<{ payload: { payload: { section: string; price: number; previousPrice: number | null }; streamVersion: number } }>(
    'concert',
    `SELECT payload FROM outbox WHERE aggregate_id = $1 AND event_type = 'SectionPriceChanged' ORDER BY (payload->>'streamVersion')::int`,
    [scheduleId],
  );
  return rows.map((row) => row.payload.payload);
}

const seatPrices = async (scheduleId: string, section: string) =>
  (await sql<{ price: number }>('concert', 'SELECT DISTINCT price FROM seats WHERE schedule_id = $1 AND section = $2', [scheduleId, section])).map((row) => row.price);

describe('setSectionPrice', () => {
  it('given a fan, then FORBIDDEN; given a bad price, an unknown schedule or section, then BAD_USER_INPUT or NOT_FOUND, and nothing is written', async () => {
    const schedule = await onSaleNow([{ section: 'A', price: 50_000, seats: 2 }]);
    const fan = await signUpFan();
    expect(errorCode(await setPrice(fan.token, schedule.scheduleId, 'A', 1))).toBe('FORBIDDEN');
    const badPrice = await setPrice(admin, schedule.scheduleId, 'A', 10_000_001);
    expect(errorCode(badPrice)).toBe('BAD_USER_INPUT');
    expect(badPrice.errors?.[0]?.extensions?.['field']).toBe('price');
    expect(errorCode(await setPrice(admin, randomUUID(), 'A', 1))).toBe('NOT_FOUND');
    expect(errorCode(await setPrice(admin, 'not-an-id', 'A', 1))).toBe('NOT_FOUND');
    expect(errorCode(await setPrice(admin, schedule.scheduleId, 'Z', 1))).toBe('NOT_FOUND');
    expect(await seatPrices(schedule.scheduleId, 'A')).toEqual([50_000]);
    expect(await priceEvents(schedule.scheduleId)).toEqual([]);
  });

  it('given no fan admitted yet, when the admin reprices a section, then its seats, the seat map, the event and a later hold all carry the new price; once a fan is admitted, PRICE_FROZEN and holds keep that price', async () => {
    const schedule = await onSaleNow([
      { section: 'A', price: 50_000, seats: 3 },
      { section: 'B', price: 30_000, seats: 1 },
    ]);
    // Warm the seat-map cache, so a stale map would show if the change did not invalidate it.
    const before = await setPrice(admin, schedule.scheduleId, 'B', 30_000);
    expect(before.data?.setSectionPrice.seats.find((seat) => seat.section === 'B')?.price).toBe(30_000);

    const changed = await setPrice(admin, schedule.scheduleId, 'A', 65_000);
    expect(changed.errors).toBeUndefined();
    expect(changed.data?.setSectionPrice.pricesFrozenAt).toBeNull();
    expect(changed.data?.setSectionPrice.seats.filter((seat) => seat.section === 'A').map((seat) => seat.price)).toEqual([65_000, 65_000, 65_000]);
    expect(await priceEvents(schedule.scheduleId)).toEqual([{ scheduleId: schedule.scheduleId, section: 'A', price: 65_000, previousPrice: 50_000 }]);

    await admitFreely(schedule.scheduleId);
    const [first, second] = seatsOf(schedule, 'A');
    const held = await holdSeats(await admit(await signUpFan(), schedule.scheduleId), schedule.scheduleId, [first!]);
    expect(held.code).toBeUndefined();
    expect(held.booking?.amount).toBe(65_000);

    const refused = await setPrice(admin, schedule.scheduleId, 'A', 80_000);
    expect(errorCode(refused)).toBe('PRICE_FROZEN');
    expect(errorCode(await setPrice(admin, schedule.scheduleId, 'B', 30_000))).toBe('PRICE_FROZEN');
    expect(await seatPrices(schedule.scheduleId, 'A')).toEqual([65_000]);
    expect(await priceEvents(schedule.scheduleId)).toHaveLength(1);

    const later = await holdSeats(await admit(await signUpFan(), schedule.scheduleId), schedule.scheduleId, [second!]);
    expect(later.booking?.amount).toBe(65_000);
    const frozen = await gql<{ schedule: { pricesFrozenAt: string | null } }>('query S($id: ID!) { schedule(id: $id) { pricesFrozenAt } }', { id: schedule.scheduleId });
    expect(frozen.data?.schedule.pricesFrozenAt).toEqual(expect.any(String));
  });
});

describe('a price change racing the first admissions', () => {
  const ROUNDS = 4;
  const FANS = 12;
  const ADMINS = 4;

  it(`given ${ADMINS} admins repricing while ${FANS} fans are admitted and hold, ${ROUNDS} times, then no change is accepted after an admission and every hold charges the last accepted price`, async () => {
    let acceptedInAllRounds = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const schedule = await onSaleNow([{ section: 'A', price: 10_000, seats: FANS }]);
      const seats = seatsOf(schedule, 'A');
      await admitFreely(schedule.scheduleId);

      // A logical clock of what this process observed, in order: no wall-clock thresholds.
      let step = 0;
      let firstAdmissionSeen = Number.POSITIVE_INFINITY;
      const accepted: Array<{ price: number; sentAt: number }> = [];
      let nextPrice = 10_001;
      let frozen = false;
      let fansDone = false;

      const adminLoop = async () => {
        while (!frozen && !fansDone) {
          const price = nextPrice++;
          const sentAt = ++step;
          const answer = await setPrice(admin, schedule.scheduleId, 'A', price);
          const code = errorCode(answer);
          if (code === 'PRICE_FROZEN') frozen = true;
          else if (code === undefined) accepted.push({ price, sentAt });
          else throw new Error(`setSectionPrice answered ${code}`);
        }
      };
      const fanFlow = async (seatId: string) => {
        const fan = await admit(await signUpFan(), schedule.scheduleId, 60_000);
        firstAdmissionSeen = Math.min(firstAdmissionSeen, ++step);
        return holdSeats(fan, schedule.scheduleId, [seatId]);
      };

      const fans = mapLimit(seats, FANS, (seatId) => fanFlow(seatId)).finally(() => (fansDone = true));
      const [holds] = await Promise.all([fans, mapLimit(Array.from({ length: ADMINS }), ADMINS, adminLoop)]);

      // Everyone was admitted: a change now is refused, whatever the admin loops saw.
      expect(errorCode(await setPrice(admin, schedule.scheduleId, 'A', nextPrice++))).toBe('PRICE_FROZEN');

      // No change was sent after this process had seen a fan admitted and still accepted.
      expect(accepted.filter((change) => change.sentAt > firstAdmissionSeen)).toEqual([]);
      // The price stopped moving before anyone was let in: the seats, the stream and every hold agree.
      const events = await priceEvents(schedule.scheduleId);
      expect(events.map((event) => event.price).sort()).toEqual(accepted.map((change) => change.price).sort());
      const finalPrice = events.at(-1)?.price ?? 10_000;
      expect(await seatPrices(schedule.scheduleId, 'A')).toEqual([finalPrice]);
      expect(holds.map((hold) => hold.code)).toEqual(holds.map(() => undefined));
      expect(holds.map((hold) => hold.booking?.amount)).toEqual(holds.map(() => finalPrice));
      acceptedInAllRounds += accepted.length;
    }
    // The admins really raced the admissions (prices moved while fans were entering).
    expect(acceptedInAllRounds).toBeGreaterThan(0);
  });
});
