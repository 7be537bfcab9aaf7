import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { ApiError, request } from '../api/client';
import { failureFrom } from '../api/errors';
import { graphql } from '../generated';
import type { AdminScheduleBookingsQuery } from '../generated/graphql';
import { Link } from '../router';
import { useSession } from '../session';
import { dateTime, money } from '../ui/format';
import { Loading, Problem } from '../ui/widgets';
import { adminMessage, Notice, useAction } from './admin-shell';
import { BOOKING_STATUSES, csvFileName, exportPath, filtersFrom, NO_FILTERS, type BookingFilterForm, type BookingFilters } from './bookings.model';
import { ScheduleHeader, useAdminSchedule } from './schedule-header';

const ScheduleBookings = graphql(`
  query AdminScheduleBookings($scheduleId: ID!, $status: BookingStatus, $userId: ID, $createdFrom: DateTime, $createdBefore: DateTime, $after: String) {
    scheduleBookings(scheduleId: $scheduleId, status: $status, userId: $userId, createdFrom: $createdFrom, createdBefore: $createdBefore, first: 20, after: $after) {
      nodes { id status amount createdAt guestName user { id email name } seats { id section row number } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

const RefundBooking = graphql(`
  mutation AdminRefundBooking($bookingId: ID!, $reason: String!) { refundBooking(bookingId: $bookingId, reason: $reason) { id status } }
`);

type Row = AdminScheduleBookingsQuery['scheduleBookings']['nodes'][number];

/** A schedule's bookings, filtered and paged, with the CSV export and refunds. */
export function BookingsPage({ scheduleId }: { scheduleId: string }) {
  const { schedule, problem } = useAdminSchedule(scheduleId);
  const [form, setForm] = useState<BookingFilterForm>(NO_FILTERS);
  const [filters, setFilters] = useState<BookingFilters>({});
  const [rows, setRows] = useState<Row[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [listProblem, setListProblem] = useState<string | null>(null);

  const load = useCallback(
    async (after: string | null) => {
      setListProblem(null);
      try {
        const { scheduleBookings } = await request(ScheduleBookings, { scheduleId, ...filters, after });
        setRows((shown) => [...(after ? (shown ?? []) : []), ...scheduleBookings.nodes]);
        setNext(scheduleBookings.pageInfo.hasNextPage ? (scheduleBookings.pageInfo.endCursor ?? null) : null);
      } catch (error) {
        setListProblem(adminMessage(error));
      }
    },
    [scheduleId, filters],
  );
  useEffect(() => void load(null), [load]);

  const apply = (event: FormEvent) => {
    event.preventDefault();
    setRows(null);
    setFilters(filtersFrom(form));
  };

  if (!schedule) return problem ? <Problem message={problem} /> : <Loading what="the schedule" />;
  return (
    <section aria-labelledby="screen-title">
      <ScheduleHeader schedule={schedule} screen="Bookings" />
      <form className="panel" aria-labelledby="filters-title" onSubmit={apply}>
        <h2 id="filters-title">Filters</h2>
        <div className="form-grid">
          <label>
            Status
            <select name="status" value={form.status} onChange={(event) => setForm({ ...form, status: event.target.value as BookingFilterForm['status'] })}>
              <option value="">Any status</option>
              {BOOKING_STATUSES.map((status) => (
                <option key={status} value={status}>
                  {status.replace('_', ' ').toLowerCase()}
                </option>
              ))}
            </select>
          </label>
          <label>
            Fan (user id)
            <input name="userId" value={form.userId} onChange={(event) => setForm({ ...form, userId: event.target.value })} />
          </label>
          <label>
            Made from
            <input type="datetime-local" name="createdFrom" value={form.createdFrom} onChange={(event) => setForm({ ...form, createdFrom: event.target.value })} />
          </label>
          <label>
            Made before
            <input type="datetime-local" name="createdBefore" value={form.createdBefore} onChange={(event) => setForm({ ...form, createdBefore: event.target.value })} />
          </label>
        </div>
        <div className="actions">
          <button type="submit">Show bookings</button>
          <CsvDownload scheduleId={scheduleId} filters={filters} />
        </div>
      </form>
      <Problem message={listProblem} />
      {!rows && !listProblem && <Loading what="the bookings" />}
      {rows?.length === 0 && <p>No bookings match.</p>}
      {rows && rows.length > 0 && (
        <div className="table-scroll">
          <table className="bookings" aria-label="Bookings">
            <thead>
              <tr>
                <th scope="col">Made</th>
                <th scope="col">Status</th>
                <th scope="col">Who</th>
                <th scope="col">Seats</th>
                <th scope="col">Amount</th>
                <th scope="col">Refund</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((booking) => (
                <BookingRow key={booking.id} booking={booking} onRefunded={(status) => setRows((shown) => shown?.map((row) => (row.id === booking.id ? { ...row, status } : row)) ?? null)} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {next && (
        <button type="button" onClick={() => void load(next)}>
          More bookings
        </button>
      )}
    </section>
  );
}

function BookingRow({ booking, onRefunded }: { booking: Row; onRefunded: (status: Row['status']) => void }) {
  const [reason, setReason] = useState('');
  const { busy, problem, notice, run } = useAction();
  const who = booking.guestName ? `Guest: ${booking.guestName}` : booking.user.email;
  const refund = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const { refundBooking } = await request(RefundBooking, { bookingId: booking.id, reason });
      onRefunded(refundBooking.status);
      return 'Refunded: the seats are on sale again and the payment goes back to the fan.';
    });
  };
  return (
    <tr data-booking-id={booking.id} data-status={booking.status}>
      <td>
        <Link href={`/bookings/${booking.id}`}>{dateTime(booking.createdAt)}</Link>
      </td>
      <td className={`status ${booking.status.toLowerCase()}`}>{booking.status.replace('_', ' ').toLowerCase()}</td>
      <td>{who}</td>
      <td>{booking.seats.map((seat) => `${seat.section} ${seat.row}-${seat.number}`).join(', ')}</td>
      <td>{money(booking.amount)}</td>
      <td>
        {booking.status === 'CONFIRMED' && (
          <form className="inline" onSubmit={refund} aria-label={`Refund booking of ${who}`}>
            <label>
              Reason for the refund
              <input name="reason" required maxLength={500} value={reason} onChange={(event) => setReason(event.target.value)} />
            </label>
            <button type="submit" disabled={busy}>
              Refund
            </button>
          </form>
        )}
        <Problem message={problem} />
        <Notice message={notice} />
      </td>
    </tr>
  );
}

/**
 * The export needs the admin's bearer token, which a plain link cannot send: fetch it with the
 * Authorization header and hand the browser a Blob URL to save under a name that says what it holds.
 */
function CsvDownload({ scheduleId, filters }: { scheduleId: string; filters: BookingFilters }) {
  const { busy, problem, notice, run } = useAction();
  const token = useSession().signedIn?.token;
  const download = () =>
    void run(async () => {
      let response: Response;
      try {
        response = await fetch(exportPath(scheduleId, filters), { headers: { accept: 'text/csv', ...(token ? { authorization: `Bearer ${token}` } : {}) } });
      } catch {
        throw new ApiError({ code: 'NETWORK' });
      }
      if (!response.ok) {
        const body = (await response.json().catch(() => ({}))) as { errors?: Array<{ message?: string; extensions?: Record<string, unknown> }> };
        throw new ApiError(failureFrom(body.errors?.[0]));
      }
      const url = URL.createObjectURL(await response.blob());
      const link = document.createElement('a');
      link.href = url;
      link.download = csvFileName(scheduleId, filters, new Date());
      document.body.append(link);
      link.click();
      link.remove();
      // After the click has handed the file over; revoking at once can cancel the save in some browsers.
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      return `Saved ${link.download}.`;
    });
  return (
    <>
      <button type="button" className="secondary" onClick={download} disabled={busy}>
        Download CSV
      </button>
      <Problem message={problem} />
      <Notice message={notice} />
    </>
  );
}
