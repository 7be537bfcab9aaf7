import type express from 'express';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ErrorCode, type Logger } from '@ticketing/platform';
import { csvRecord } from './csv';

export const SCHEDULE_BOOKINGS_CSV_PATH = '/exports/schedule-bookings.csv';

/** Pages of the export: the contract's largest page, and a bound on one download (a stadium's bookings). */
const PAGE_SIZE = 100;
const MAX_PAGES = 2_000;

const PAGE_QUERY = `query ScheduleBookingsExport($scheduleId: ID!, $status: BookingStatus, $userId: ID, $createdFrom: DateTime, $createdBefore: DateTime, $first: Int, $after: String) {
  scheduleBookings(scheduleId: $scheduleId, status: $status, userId: $userId, createdFrom: $createdFrom, createdBefore: $createdBefore, first: $first, after: $after) {
    nodes { id createdAt status amount heldUntil guestName user { id email } seats { section row number } history { at reason } }
    pageInfo { hasNextPage endCursor }
  }
}`;

interface ExportedBooking {
  id: string;
  createdAt: string;
  status: string;
  amount: number;
  heldUntil: string | null;
  guestName: string | null;
  user: { id: string; email: string } | null;
  seats: Array<{ section: string; row: string; number: number } | null>;
  history: Array<{ at: string; reason: string | null }>;
}
interface Page {
  scheduleBookings: { nodes: ExportedBooking[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

const HEADER = ['bookingId', 'createdAt', 'status', 'amountKRW', 'seatCount', 'seats', 'userId', 'userEmail', 'guestName', 'heldUntil', 'lastChangeAt', 'lastReason'];

function row(booking: ExportedBooking): string {
  const last = booking.history.at(-1);
  const seats = booking.seats.flatMap((seat) => (seat ? [`${seat.section}-${seat.row}-${seat.number}`] : []));
  return csvRecord([
    booking.id,
    booking.createdAt,
    booking.status,
    booking.amount,
    booking.seats.length,
    seats.join(' '),
    booking.user?.id,
    booking.user?.email,
    booking.guestName,
    booking.heldUntil,
    last?.at,
    last?.reason,
  ]);
}

export interface ExportDeps<TContext> {
  /** The request's context as the GraphQL endpoint builds it (the same token checks); throws a GraphQLError to refuse. */
  contextFor: (req: express.Request, requestId: string) => Promise<TContext>;
  execute: (query: string, variables: Record<string, unknown>, context: TContext) => Promise<{ data?: Page | null; errors?: readonly GraphQLFormattedError[] }>;
  logger: Logger;
}

const text = (value: unknown) => (typeof value === 'string' && value.length > 0 ? value : undefined);

/** A refusal as the GraphQL endpoint words it, with the status a client expects. */
function refuse(res: express.Response, status: number, errors: readonly GraphQLFormattedError[]): void {
  res.status(status).json({ errors });
}

const statusOf = (error: GraphQLFormattedError): number => {
  switch (error.extensions?.['code']) {
    case ErrorCode.UNAUTHENTICATED:
      return 401;
    case ErrorCode.FORBIDDEN:
    case ErrorCode.ACCOUNT_LOCKED:
      return 403;
    case ErrorCode.RATE_LIMITED:
      return 429;
    case ErrorCode.BAD_USER_INPUT:
      return 400;
    case ErrorCode.SERVICE_UNAVAILABLE:
      return 503;
    default:
      return 502;
  }
};

/**
 * `GET /exports/schedule-bookings.csv?scheduleId=…[&status=&userId=&createdFrom=&createdBefore=]`
 * with the admin's bearer token: `scheduleBookings` as a CSV download, read page by page through
 * the gateway's own pipeline with the caller's identity, so the booking subgraph's admin check,
 * its input validation and the rate limits apply to every page exactly as to the API. The first
 * page is read before anything is sent, so a refusal is a JSON error with its status; a failure
 * after that ends the download early with a last `#error` line rather than a silent truncation.
 */
export function mountScheduleBookingsCsv<TContext>(app: express.Express, deps: ExportDeps<TContext>): void {
  app.get(SCHEDULE_BOOKINGS_CSV_PATH, async (req, res) => {
    const requestId = String(res.locals['requestId'] ?? '');
    const scheduleId = text(req.query['scheduleId']);
    if (!scheduleId) {
      refuse(res, 400, [{ message: 'scheduleId is required', extensions: { code: ErrorCode.BAD_USER_INPUT, field: 'scheduleId' } }]);
      return;
    }
    let context: TContext;
    try {
      context = await deps.contextFor(req, requestId);
    } catch (error) {
      const refusal = error instanceof GraphQLError ? error : new GraphQLError('Not signed in', { extensions: { code: ErrorCode.UNAUTHENTICATED } });
      refuse(res, statusOf({ message: refusal.message, extensions: refusal.extensions }), [{ message: refusal.message, extensions: { code: refusal.extensions['code'] } }]);
      return;
    }
    const filter = {
      scheduleId,
      status: text(req.query['status']),
      userId: text(req.query['userId']),
      createdFrom: text(req.query['createdFrom']),
      createdBefore: text(req.query['createdBefore']),
    };
    const pageAfter = (after: string | null) => deps.execute(PAGE_QUERY, { ...filter, first: PAGE_SIZE, after }, context);

    const first = await pageAfter(null).catch((error: unknown) => ({ errors: [{ message: error instanceof Error ? error.message : String(error) }] as GraphQLFormattedError[], data: null }));
    if (first.errors?.length || !first.data) {
      const errors = first.errors?.length ? first.errors : [{ message: 'No answer from the booking subgraph' }];
      refuse(res, statusOf(errors[0]!), errors);
      return;
    }
    res.status(200);
    res.type('text/csv; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="bookings-${scheduleId.replace(/[^A-Za-z0-9-]/g, '')}.csv"`);
    res.setHeader('cache-control', 'no-store');
    res.write(csvRecord(HEADER));
    let page: Page = first.data;
    let rows = 0;
    for (let pages = 1; ; pages += 1) {
      for (const booking of page.scheduleBookings.nodes) res.write(row(booking));
      rows += page.scheduleBookings.nodes.length;
      const { hasNextPage, endCursor } = page.scheduleBookings.pageInfo;
      if (!hasNextPage || !endCursor) break;
      if (pages >= MAX_PAGES) {
        res.write(`#truncated after ${rows} bookings: narrow the filters (status, userId, createdFrom, createdBefore)\r\n`);
        break;
      }
      const next = await pageAfter(endCursor).catch((error: unknown) => ({ errors: [{ message: String(error) }] as GraphQLFormattedError[], data: null }));
      if (next.errors?.length || !next.data) {
        deps.logger.warn({ scheduleId, rows, errors: next.errors }, 'bookings export ended early');
        res.write(`#error: the export ended early after ${rows} bookings; download it again\r\n`);
        break;
      }
      page = next.data;
    }
    deps.logger.info({ scheduleId, rows }, 'bookings exported');
    res.end();
  });
}
