import { useCallback, useEffect, useMemo, useState } from 'react';
import { ApiError, messageOf, onResync, request, subscribe } from '../api/client';
import { humanMessage } from '../api/errors';
import { graphql } from '../generated';
import type { QueueTicketFieldsFragment, ScheduleQuery } from '../generated/graphql';
import { Link, navigate } from '../router';
import { useSession } from '../session';
import { dateTime, money } from '../ui/format';
import { Countdown, Loading, Problem, useNow } from '../ui/widgets';
import { SeatMap } from './seat-map';
import { applyUpdate, createPushLedger, keepAvailable, toggleSeat, type MapSeat, type Selection } from './seat-map.model';
import { formatWait, waitingRoomState } from './waiting-room.model';

const Schedule = graphql(`
  query Schedule($id: ID!) {
    schedule(id: $id) {
      id startsAt bookingOpensAt salesClosedAt maxSeatsPerFan
      concert { id title artist venue }
      seats { id section row number price status }
    }
  }
`);

graphql(`
  fragment QueueTicketFields on QueueTicket { token status position estimatedWaitSeconds expiresAt opensAt admissionPass }
`);

const EnterQueue = graphql(`
  mutation EnterQueue($scheduleId: ID!) { enterQueue(scheduleId: $scheduleId) { ...QueueTicketFields } }
`);

const QueueTicket = graphql(`
  query QueueTicket($token: String!) { queueTicket(token: $token) { ...QueueTicketFields } }
`);

const QueueTicketUpdated = graphql(`
  subscription QueueTicketUpdated($token: String!) { queueTicketUpdated(token: $token) { ...QueueTicketFields } }
`);

const SeatsUpdated = graphql(`
  subscription SeatsUpdated($scheduleId: ID!) { seatsUpdated(scheduleId: $scheduleId) { id status } }
`);

const HoldSeats = graphql(`
  mutation HoldSeats($scheduleId: ID!, $seatIds: [ID!]!, $queueToken: String!) {
    holdSeats(scheduleId: $scheduleId, seatIds: $seatIds, queueToken: $queueToken) { id status heldUntil }
  }
`);

type Ticket = QueueTicketFieldsFragment;
type LoadedSchedule = NonNullable<ScheduleQuery['schedule']>;

/** The ticket survives a reload of the tab (not a new tab: a fan's place is theirs, per tab). */
const ticketKey = (scheduleId: string) => `ticketing.queue.${scheduleId}`;

/** A schedule's on-sale: the waiting room, then the live seat map and the hold. */
export function SchedulePage({ scheduleId }: { scheduleId: string }) {
  const { signedIn } = useSession();
  const [schedule, setSchedule] = useState<LoadedSchedule | null>(null);
  const [seats, setSeats] = useState<MapSeat[]>([]);
  const [ticket, setTicket] = useState<Ticket | null>(null);
  const [selection, setSelection] = useState<Selection>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // Pushes that land while the map is being re-read must survive its answer (createPushLedger).
  const ledger = useMemo(() => createPushLedger(), []);

  const readSchedule = useCallback(async () => {
    try {
      const { answer, seats: read } = await ledger.read(() => request(Schedule, { id: scheduleId }), (answer) => answer.schedule?.seats ?? []);
      if (!answer.schedule) throw new ApiError({ code: 'NOT_FOUND' });
      setSchedule(answer.schedule);
      setSeats(read);
    } catch (error) {
      setProblem(messageOf(error));
    }
  }, [scheduleId, ledger]);

  const readTicket = useCallback(async (token: string, attempt = 1): Promise<void> => {
    try {
      const { queueTicket } = await request(QueueTicket, { token });
      setTicket(queueTicket ?? null);
      setProblem(null);
    } catch (error) {
      if (error instanceof ApiError && (error.code === 'QUEUE_TOKEN_INVALID' || error.code === 'UNAUTHENTICATED')) {
        // Not this fan's or not valid any more: start again from the button.
        sessionStorage.removeItem(ticketKey(scheduleId));
        setTicket(null);
        return;
      }
      // Anything else (the waiting room restoring after a restart, the network) leaves the place
      // where it is: the token is kept and asked about again shortly.
      setProblem(messageOf(error));
      const seconds = error instanceof ApiError ? (error.failure.retryAfterSeconds ?? 2) : 2;
      await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
      // A minute of tries; the live subscription and a reconnect's resync ask again after that.
      if (attempt < 30 && sessionStorage.getItem(ticketKey(scheduleId)) === token) return readTicket(token, attempt + 1);
    }
  }, [scheduleId]);

  useEffect(() => void readSchedule(), [readSchedule]);

  // Seat changes pushed while the fan looks; a reconnect re-reads the map (pushes were missed).
  useEffect(
    () =>
      subscribe(SeatsUpdated, { scheduleId }, {
        next: ({ seatsUpdated }) => {
          ledger.pushed(seatsUpdated);
          setSeats((current) => applyUpdate(current, seatsUpdated));
        },
      }),
    [scheduleId, signedIn, ledger],
  );
  useEffect(() => onResync(() => void readSchedule()), [readSchedule]);
  // A chosen seat someone else took leaves the selection, and the fan is told why it emptied. Not
  // while the fan's own hold is in flight: its answer says how that went (the push of the fan's
  // own hold can come first).
  useEffect(() => {
    const kept = keepAvailable(selection, seats);
    if (kept === selection) return;
    setSelection(kept);
    if (!busy) setProblem(humanMessage({ code: 'SEAT_UNAVAILABLE' }));
  }, [seats, selection, busy]);

  const token = ticket?.token ?? (signedIn ? sessionStorage.getItem(ticketKey(scheduleId)) : null);
  useEffect(() => {
    if (!token || !signedIn) return;
    void readTicket(token);
    const stopResync = onResync(() => void readTicket(token));
    const stop = subscribe(QueueTicketUpdated, { token }, { next: ({ queueTicketUpdated }) => setTicket(queueTicketUpdated), error: (error) => setProblem(error.message) });
    return () => {
      stop();
      stopResync();
    };
  }, [token, signedIn, readTicket]);

  const enterQueue = async () => {
    setBusy(true);
    setProblem(null);
    try {
      const { enterQueue: entered } = await request(EnterQueue, { scheduleId });
      sessionStorage.setItem(ticketKey(scheduleId), entered.token);
      setTicket(entered);
    } catch (error) {
      setProblem(messageOf(error));
    } finally {
      setBusy(false);
    }
  };

  const hold = async () => {
    if (!ticket) return;
    setBusy(true);
    setProblem(null);
    try {
      // The pass is checked by booking alone; the token (the admission's first update may come
      // without a pass) costs booking a question to the waiting room, and works as well.
      const { holdSeats } = await request(HoldSeats, { scheduleId, seatIds: [...selection], queueToken: ticket.admissionPass ?? ticket.token });
      navigate(`/bookings/${holdSeats.id}`);
    } catch (error) {
      setProblem(messageOf(error));
      if (error instanceof ApiError && error.code === 'SEAT_UNAVAILABLE') void readSchedule();
      if (error instanceof ApiError && error.code === 'QUEUE_TOKEN_INVALID') void readTicket(ticket.token);
    } finally {
      setBusy(false);
    }
  };

  if (!schedule) return problem ? <Problem message={problem} /> : <Loading what="the schedule" />;
  const limit = Math.min(4, schedule.maxSeatsPerFan);
  const admitted = ticket?.status === 'ACTIVE';
  const chosen = seats.filter((seat) => selection.includes(seat.id));
  const toggle = (seat: MapSeat) => {
    const outcome = toggleSeat(selection, seat, limit);
    setSelection(outcome.selection);
    setProblem('refused' in outcome && outcome.refused === 'LIMIT' ? `You can choose up to ${limit} seats.` : null);
  };

  return (
    <section aria-labelledby="schedule-title">
      <h1 id="schedule-title">{schedule.concert.title}</h1>
      <p className="muted">
        {schedule.concert.artist} · {schedule.concert.venue} · <time dateTime={schedule.startsAt}>{dateTime(schedule.startsAt)}</time>
      </p>
      <div className="panel" aria-labelledby="waiting-room-title">
        <h2 id="waiting-room-title">Waiting room</h2>
        {!signedIn ? (
          <p>
            <Link href={`/signin?next=${encodeURIComponent(`/schedules/${scheduleId}`)}`}>Log in or sign up</Link> to get in line.
          </p>
        ) : ticket ? (
          <TicketStatus ticket={ticket} onEnterAgain={() => void enterQueue()} busy={busy} />
        ) : schedule.salesClosedAt ? (
          <p>Sales are closed for now.</p>
        ) : (
          <>
            {new Date(schedule.bookingOpensAt) > new Date() && <p>Sales open {dateTime(schedule.bookingOpensAt)}. Join the pre-queue now: places are drawn at random at opening.</p>}
            <button type="button" onClick={() => void enterQueue()} disabled={busy}>
              Enter the waiting room
            </button>
          </>
        )}
      </div>
      <Problem message={problem} />
      <div className="panel" aria-labelledby="seats-title">
        <h2 id="seats-title">Seats</h2>
        {!admitted && <p className="muted">You can choose seats once you are admitted from the waiting room. The map updates live.</p>}
        <SeatMap seats={seats} selection={selection} selectable={admitted} onToggle={toggle} />
        {admitted && (
          <div className="hold-bar">
            <p role="status">
              {chosen.length === 0
                ? `Choose 1 to ${limit} seats.`
                : `${chosen.length} ${chosen.length === 1 ? 'seat' : 'seats'} chosen, ${money(chosen.reduce((sum, seat) => sum + seat.price, 0))}`}
            </p>
            <button type="button" onClick={() => void hold()} disabled={busy || chosen.length === 0}>
              Hold {chosen.length || ''} {chosen.length === 1 ? 'seat' : 'seats'}
            </button>
          </div>
        )}
      </div>
    </section>
  );
}

function TicketStatus({ ticket, onEnterAgain, busy }: { ticket: Ticket; onEnterAgain: () => void; busy: boolean }) {
  const state = waitingRoomState(ticket, useNow());
  switch (state.kind) {
    case 'pre-queue':
      return (
        <p className="queue-state" data-state="pre-queue" role="status">
          You are in the pre-queue. Sales open {dateTime(state.opensAt ?? '')}; your place in line will be drawn at random then.
        </p>
      );
    case 'in-line':
      return (
        <p className="queue-state" data-state="in-line" role="status">
          You are number <strong data-testid="queue-position">{state.position}</strong> in line
          {state.etaSeconds !== null ? `, ${formatWait(state.etaSeconds)} to go` : ''}.
        </p>
      );
    case 'paused':
      return (
        <p className="queue-state" data-state="paused" role="status">
          The line is on hold for a moment; you keep your place
          {state.position !== undefined && (
            <>
              {' '}
              (number <strong data-testid="queue-position">{state.position}</strong>)
            </>
          )}
          .
        </p>
      );
    case 'admitted':
      return (
        <div className="queue-state" data-state="admitted" role="status">
          <p>It is your turn! Choose your seats.</p>
          {state.expiresAt && <Countdown until={state.expiresAt} label="Your turn ends in" />}
        </div>
      );
    case 'expired':
      return (
        <div className="queue-state" data-state="expired" role="status">
          <p>Your turn has ended. You can get back in line.</p>
          <button type="button" onClick={onEnterAgain} disabled={busy}>
            Enter the waiting room again
          </button>
        </div>
      );
  }
}
