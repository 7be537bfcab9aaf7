import { useEffect, useState } from 'react';
import { request, messageOf } from '../api/client';
import { graphql } from '../generated';
import type { ConcertsQuery } from '../generated/graphql';
import { Link } from '../router';
import { dateTime } from '../ui/format';
import { Loading, Problem } from '../ui/widgets';

const Concerts = graphql(`
  query Concerts($after: String) {
    concerts(first: 20, after: $after) {
      nodes { id title artist venue schedules { id startsAt bookingOpensAt salesClosedAt availableSeatCount } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

type Concert = ConcertsQuery['concerts']['nodes'][number];

/** Every concert and its schedules, twenty at a time; a schedule opens its waiting room and seat map. */
export function ConcertsPage() {
  const [concerts, setConcerts] = useState<Concert[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const load = async (after: string | null) => {
    try {
      const { concerts: page } = await request(Concerts, { after });
      setConcerts((shown) => [...(after ? (shown ?? []) : []), ...page.nodes]);
      setNext(page.pageInfo.hasNextPage ? (page.pageInfo.endCursor ?? null) : null);
    } catch (error) {
      setProblem(messageOf(error));
    }
  };
  useEffect(() => void load(null), []);

  return (
    <section aria-labelledby="concerts-title">
      <h1 id="concerts-title">Concerts</h1>
      <Problem message={problem} />
      {!concerts && !problem && <Loading what="concerts" />}
      <ul className="cards">
        {concerts?.map((concert) => (
          <li key={concert.id} className="card">
            <h2>{concert.title}</h2>
            <p className="muted">
              {concert.artist} · {concert.venue}
            </p>
            <ul className="schedules">
              {concert.schedules.map((schedule) => (
                <li key={schedule.id}>
                  <Link href={`/schedules/${schedule.id}`} aria-label={`${concert.title}, ${dateTime(schedule.startsAt)}: tickets`}>
                    {dateTime(schedule.startsAt)}
                  </Link>{' '}
                  <span className="muted">
                    {schedule.salesClosedAt
                      ? 'sales closed'
                      : new Date(schedule.bookingOpensAt) > new Date()
                        ? `on sale ${dateTime(schedule.bookingOpensAt)}`
                        : `${schedule.availableSeatCount} seats left`}
                  </span>
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
      {next && (
        <button type="button" onClick={() => void load(next)}>
          More concerts
        </button>
      )}
    </section>
  );
}
