import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { ApiError, request } from '../api/client';
import { graphql } from '../generated';
import type { AdminConcertQuery, AdminConcertsQuery } from '../generated/graphql';
import { Link, navigate } from '../router';
import { dateTime } from '../ui/format';
import { Loading, Problem } from '../ui/widgets';
import { adminMessage, Notice, useAction } from './admin-shell';
import { isoFromLocalInput } from './bookings.model';
import { NEW_SCHEDULE_TERMS, ScheduleTermsFields } from './schedule-terms';

const AdminConcerts = graphql(`
  query AdminConcerts($after: String) {
    concerts(first: 20, after: $after) {
      nodes { id title artist venue schedules { id startsAt salesClosedAt } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

const CreateConcert = graphql(`
  mutation AdminCreateConcert($input: CreateConcertInput!) { createConcert(input: $input) { id } }
`);

const AdminConcert = graphql(`
  query AdminConcert($id: ID!) {
    concert(id: $id) {
      id title artist venue
      schedules { id startsAt bookingOpensAt maxSeatsPerFan refundCutoffHours salesClosedAt availableSeatCount }
    }
  }
`);

const UpdateConcert = graphql(`
  mutation AdminUpdateConcert($id: ID!, $input: UpdateConcertInput!) { updateConcert(id: $id, input: $input) { id title artist venue } }
`);

const CreateSchedule = graphql(`
  mutation AdminCreateSchedule($concertId: ID!, $input: CreateScheduleInput!) { createSchedule(concertId: $concertId, input: $input) { id } }
`);

type ConcertRow = AdminConcertsQuery['concerts']['nodes'][number];
type LoadedConcert = NonNullable<AdminConcertQuery['concert']>;

/** The catalog: every concert with its schedules, and a new concert. */
export function CatalogPage() {
  const [concerts, setConcerts] = useState<ConcertRow[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const load = useCallback(async (after: string | null) => {
    try {
      const { concerts: page } = await request(AdminConcerts, { after });
      setConcerts((shown) => [...(after ? (shown ?? []) : []), ...page.nodes]);
      setNext(page.pageInfo.hasNextPage ? (page.pageInfo.endCursor ?? null) : null);
    } catch (error) {
      setProblem(adminMessage(error));
    }
  }, []);
  useEffect(() => void load(null), [load]);

  return (
    <section aria-labelledby="catalog-title">
      <h1 id="catalog-title">Catalog</h1>
      <ConcertForm
        title="New concert"
        submitLabel="Create concert"
        initial={{ title: '', artist: '', venue: '' }}
        onSubmit={async (input) => {
          const { createConcert } = await request(CreateConcert, { input });
          navigate(`/admin/concerts/${createConcert.id}`);
        }}
      />
      <h2>Concerts</h2>
      <Problem message={problem} />
      {!concerts && !problem && <Loading what="the catalog" />}
      <ul className="cards">
        {concerts?.map((concert) => (
          <li key={concert.id} className="card">
            <Link href={`/admin/concerts/${concert.id}`}>{concert.title}</Link>
            <p className="muted">
              {concert.artist} · {concert.venue}
            </p>
            <ul className="schedules" aria-label={`Schedules of ${concert.title}`}>
              {concert.schedules.map((schedule) => (
                <li key={schedule.id}>
                  <Link href={`/admin/schedules/${schedule.id}`}>{dateTime(schedule.startsAt)}</Link>
                  {schedule.salesClosedAt ? ' (sales closed)' : ''}
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

interface ConcertFields {
  title: string;
  artist: string;
  venue: string;
}

function ConcertForm({ title, submitLabel, initial, onSubmit }: { title: string; submitLabel: string; initial: ConcertFields; onSubmit: (fields: ConcertFields) => Promise<string | void> }) {
  const [fields, setFields] = useState(initial);
  const { busy, problem, notice, run } = useAction();
  const id = title.toLowerCase().replace(/\W+/g, '-');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(() => onSubmit(fields));
  };
  const field = (name: keyof ConcertFields, label: string) => (
    <label>
      {label}
      <input name={name} required maxLength={200} value={fields[name]} onChange={(event) => setFields({ ...fields, [name]: event.target.value })} />
    </label>
  );
  return (
    <form className="panel" aria-labelledby={id} onSubmit={submit}>
      <h2 id={id}>{title}</h2>
      <div className="form-grid">
        {field('title', 'Title')}
        {field('artist', 'Artist')}
        {field('venue', 'Venue')}
      </div>
      <Problem message={problem} />
      <Notice message={notice} />
      <button type="submit" disabled={busy}>
        {submitLabel}
      </button>
    </form>
  );
}

/** One concert: its details, its schedules, and a new schedule. */
export function ConcertPage({ concertId }: { concertId: string }) {
  const [concert, setConcert] = useState<LoadedConcert | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    request(AdminConcert, { id: concertId })
      .then(({ concert: loaded }) => {
        if (!loaded) throw new ApiError({ code: 'NOT_FOUND' });
        setConcert(loaded);
      })
      .catch((error: unknown) => setProblem(adminMessage(error)));
  }, [concertId]);

  if (!concert) return problem ? <Problem message={problem} /> : <Loading what="the concert" />;
  return (
    <section aria-labelledby="concert-title">
      <p>
        <Link href="/admin">← Catalog</Link>
      </p>
      <h1 id="concert-title">{concert.title}</h1>
      <ConcertForm
        title="Concert details"
        submitLabel="Save concert"
        initial={{ title: concert.title, artist: concert.artist, venue: concert.venue }}
        onSubmit={async (input) => {
          const { updateConcert } = await request(UpdateConcert, { id: concertId, input });
          setConcert({ ...concert, ...updateConcert });
          return 'Concert saved.';
        }}
      />
      <div className="panel" aria-labelledby="schedules-title">
        <h2 id="schedules-title">Schedules</h2>
        {concert.schedules.length === 0 && <p className="muted">No schedules yet.</p>}
        <ul className="schedules">
          {concert.schedules.map((schedule) => (
            <li key={schedule.id}>
              <Link href={`/admin/schedules/${schedule.id}`}>{dateTime(schedule.startsAt)}</Link> · opens {dateTime(schedule.bookingOpensAt)} · {schedule.availableSeatCount} seats
              available · up to {schedule.maxSeatsPerFan} per fan{schedule.salesClosedAt ? ' · sales closed' : ''}
            </li>
          ))}
        </ul>
      </div>
      <NewScheduleForm concertId={concertId} />
    </section>
  );
}

function NewScheduleForm({ concertId }: { concertId: string }) {
  const [terms, setTerms] = useState(NEW_SCHEDULE_TERMS);
  const { busy, problem, run } = useAction();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const input = {
        startsAt: isoFromLocalInput(terms.startsAt),
        bookingOpensAt: isoFromLocalInput(terms.bookingOpensAt),
        maxSeatsPerFan: Number(terms.maxSeatsPerFan),
        refundCutoffHours: Number(terms.refundCutoffHours),
      };
      const { createSchedule } = await request(CreateSchedule, { concertId, input });
      navigate(`/admin/schedules/${createSchedule.id}/seats`);
    });
  };
  return (
    <form className="panel" aria-labelledby="new-schedule-title" onSubmit={submit}>
      <h2 id="new-schedule-title">New schedule</h2>
      <ScheduleTermsFields terms={terms} onChange={setTerms} />
      <Problem message={problem} />
      <button type="submit" disabled={busy}>
        Create schedule
      </button>
    </form>
  );
}
