import { randomUUID } from 'node:crypto';
import { gql, type GraphQLResponse } from './graphql-client';

/** One block of a layout, as `addSeats` takes it: every row gets seats 1..seatsPerRow at `price`. */
export interface CatalogSection {
  section: string;
  rows: string[];
  seatsPerRow: number;
  price: number;
}

export interface CatalogScheduleSpec {
  /** The schedule's bookingOpensAt; in the past for a schedule on sale now. */
  opensAt: Date;
  /** Default: 30 days after the later of opensAt and now. */
  startsAt?: Date;
  sections: CatalogSection[];
  maxSeatsPerFan?: number;
  /** Default: "Test concert <id>". */
  title?: string;
}

export interface CatalogSeatView {
  id: string;
  section: string;
  row: string;
  number: number;
  price: number;
}

export interface CatalogSchedule {
  concertId: string;
  scheduleId: string;
  /** Ordered by section, row and number. */
  seats: CatalogSeatView[];
}

const DAY_MS = 24 * 3600_000;

async function adminCall<T>(adminToken: string, name: string, query: string, variables: Record<string, unknown>): Promise<T> {
  const response: GraphQLResponse<T> = await gql<T>(query, variables, { token: adminToken });
  if (!response.data || response.errors) throw new Error(`${name} failed: ${JSON.stringify(response.errors)}`);
  return response.data;
}

/**
 * A concert with one schedule and its seats, made through the gateway by an admin (see
 * `logInAdmin`) with the back office's catalog mutations: unlike `createSchedule`/`addSeats`
 * (plain SQL), the catalog's events (ConcertCreated, ScheduleCreated, SeatsAdded) go through
 * the outbox to Kafka and the event store, as in production.
 */
export async function createCatalogSchedule(adminToken: string, spec: CatalogScheduleSpec): Promise<CatalogSchedule> {
  const { createConcert } = await adminCall<{ createConcert: { id: string } }>(
    adminToken,
    'createConcert',
    'mutation CreateConcert($input: CreateConcertInput!) { createConcert(input: $input) { id } }',
    { input: { title: spec.title ?? `Test concert ${randomUUID().slice(0, 8)}`, artist: 'Test Artist', venue: 'Test Hall' } },
  );
  const startsAt = spec.startsAt ?? new Date(Math.max(spec.opensAt.getTime(), Date.now()) + 30 * DAY_MS);
  const { createSchedule } = await adminCall<{ createSchedule: { id: string } }>(
    adminToken,
    'createSchedule',
    'mutation CreateSchedule($concertId: ID!, $input: CreateScheduleInput!) { createSchedule(concertId: $concertId, input: $input) { id } }',
    {
      concertId: createConcert.id,
      input: { startsAt: startsAt.toISOString(), bookingOpensAt: spec.opensAt.toISOString(), ...(spec.maxSeatsPerFan !== undefined && { maxSeatsPerFan: spec.maxSeatsPerFan }) },
    },
  );
  const { addSeats } = await adminCall<{ addSeats: { seats: CatalogSeatView[] } }>(
    adminToken,
    'addSeats',
    'mutation AddSeats($scheduleId: ID!, $blocks: [SeatBlockInput!]!) { addSeats(scheduleId: $scheduleId, blocks: $blocks) { seats { id section row number price } } }',
    { scheduleId: createSchedule.id, blocks: spec.sections },
  );
  return { concertId: createConcert.id, scheduleId: createSchedule.id, seats: addSeats.seats };
}
