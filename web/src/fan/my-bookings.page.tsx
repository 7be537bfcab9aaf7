import { useEffect, useState } from 'react';
import { messageOf, request } from '../api/client';
import { graphql } from '../generated';
import type { MyBookingsQuery } from '../generated/graphql';
import { Link } from '../router';
import { dateTime, money } from '../ui/format';
import { Loading, Problem } from '../ui/widgets';

const MyBookings = graphql(`
  query MyBookings($after: String) {
    myBookings(first: 20, after: $after) {
      nodes { id status amount createdAt seats { id } schedule { startsAt concert { title } } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

type Row = MyBookingsQuery['myBookings']['nodes'][number];

export function MyBookingsPage() {
  const [rows, setRows] = useState<Row[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const load = async (after: string | null) => {
    try {
      const { myBookings } = await request(MyBookings, { after });
      setRows((shown) => [...(after ? (shown ?? []) : []), ...myBookings.nodes]);
      setNext(myBookings.pageInfo.hasNextPage ? (myBookings.pageInfo.endCursor ?? null) : null);
    } catch (error) {
      setProblem(messageOf(error));
    }
  };
  useEffect(() => void load(null), []);

  return (
    <section aria-labelledby="my-bookings-title">
      <h1 id="my-bookings-title">My bookings</h1>
      <Problem message={problem} />
      {!rows && !problem && <Loading what="your bookings" />}
      {rows?.length === 0 && (
        <p>
          No bookings yet. <Link href="/">Find a concert</Link>.
        </p>
      )}
      <ul className="cards">
        {rows?.map((booking) => (
          <li key={booking.id} className="card">
            <Link href={`/bookings/${booking.id}`}>{booking.schedule.concert.title}</Link>
            <p className="muted">
              {dateTime(booking.schedule.startsAt)} · {booking.seats.length} {booking.seats.length === 1 ? 'seat' : 'seats'} · {money(booking.amount)}
            </p>
            <p className={`status ${booking.status.toLowerCase()}`}>{booking.status.replace('_', ' ').toLowerCase()}</p>
          </li>
        ))}
      </ul>
      {next && (
        <button type="button" onClick={() => void load(next)}>
          More bookings
        </button>
      )}
    </section>
  );
}
