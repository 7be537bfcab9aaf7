import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError, request, subscribe } from '../api/client';
import { graphql } from '../generated';
import type { SalesDashboardFieldsFragment } from '../generated/graphql';
import { money } from '../ui/format';
import { Loading, Problem } from '../ui/widgets';
import { adminMessage, Notice, useAction } from './admin-shell';
import { accumulate, percent, type Snapshot } from './chart.model';
import { ConversionBar, SectionBars, TimeChart } from './charts';
import { ScheduleHeader, useAdminSchedule, type AdminScheduleView } from './schedule-header';

graphql(`
  fragment SalesDashboardFields on SalesDashboard {
    scheduleId seatsTotal seatsAvailable seatsHeld seatsSold seatsBlocked revenue refunded
    bookingsConfirmed bookingsCancelled bookingsExpired fansAdmitted conversion asOfPosition updatedAt
    bySection { section seatsTotal seatsSold seatsHeld seatsBlocked revenue }
  }
`);

const SalesDashboard = graphql(`
  query AdminSalesDashboard($scheduleId: ID!) { salesDashboard(scheduleId: $scheduleId) { ...SalesDashboardFields } }
`);

const SalesUpdated = graphql(`
  subscription AdminSalesUpdated($scheduleId: ID!) { salesUpdated(scheduleId: $scheduleId) { ...SalesDashboardFields } }
`);

graphql(`
  fragment QueuePolicyFields on QueuePolicy { admitsPerSecond maxActive paused updatedAt }
`);

const QueueState = graphql(`
  query AdminQueueState($scheduleId: ID!) {
    queueStats(scheduleId: $scheduleId) { waiting preQueue active admitted admitsPerSecond maxActive paused }
    queuePolicy(scheduleId: $scheduleId) { ...QueuePolicyFields }
  }
`);

const SetQueuePolicy = graphql(`
  mutation AdminSetQueuePolicy($scheduleId: ID!, $admitsPerSecond: Int, $maxActive: Int) {
    setQueuePolicy(scheduleId: $scheduleId, admitsPerSecond: $admitsPerSecond, maxActive: $maxActive) { ...QueuePolicyFields }
  }
`);

const PauseQueue = graphql(`
  mutation AdminPauseQueue($scheduleId: ID!) { pauseQueue(scheduleId: $scheduleId) { ...QueuePolicyFields } }
`);

const ResumeQueue = graphql(`
  mutation AdminResumeQueue($scheduleId: ID!) { resumeQueue(scheduleId: $scheduleId) { ...QueuePolicyFields } }
`);

const OpenSales = graphql(`
  mutation AdminOpenSales($scheduleId: ID!) { openSales(scheduleId: $scheduleId) { id salesClosedAt bookingOpensAt } }
`);

const CloseSales = graphql(`
  mutation AdminCloseSales($scheduleId: ID!, $reason: String!) { closeSales(scheduleId: $scheduleId, reason: $reason) { id salesClosedAt bookingOpensAt } }
`);

type Dashboard = SalesDashboardFieldsFragment;

/** How long to wait before asking again for a dashboard the archive has not started yet. */
const NOT_ARCHIVED_RETRY_MS = 2_000;

const snapshotOf = (dashboard: Dashboard, receivedAt: number): Snapshot => ({
  position: dashboard.asOfPosition,
  at: dashboard.updatedAt ? new Date(dashboard.updatedAt).getTime() : receivedAt,
  seatsSold: dashboard.seatsSold,
  revenue: dashboard.revenue,
  conversion: dashboard.conversion,
});

/** A schedule's live sales, its waiting room and its sales switch. */
export function DashboardPage({ scheduleId }: { scheduleId: string }) {
  const { schedule, problem, reload } = useAdminSchedule(scheduleId);
  if (!schedule) return problem ? <Problem message={problem} /> : <Loading what="the schedule" />;
  return (
    <section aria-labelledby="screen-title">
      <ScheduleHeader schedule={schedule} screen="Dashboard" />
      <LiveSales scheduleId={scheduleId} />
      <QueueControl scheduleId={scheduleId} />
      <SalesControl schedule={schedule} onChanged={reload} />
    </section>
  );
}

function LiveSales({ scheduleId }: { scheduleId: string }) {
  const [dashboard, setDashboard] = useState<Dashboard | null>(null);
  const [history, setHistory] = useState<Snapshot[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [waitingForArchive, setWaitingForArchive] = useState(false);
  const [attempt, setAttempt] = useState(0);

  const receive = useCallback((next: Dashboard) => {
    setWaitingForArchive(false);
    setProblem(null);
    // A read that lost the race with a push must not take the screen back.
    setDashboard((shown) => (shown && BigInt(shown.asOfPosition) > BigInt(next.asOfPosition) ? shown : next));
    setHistory((kept) => accumulate(kept, snapshotOf(next, Date.now())));
  }, []);

  useEffect(() => {
    let retry: ReturnType<typeof setTimeout> | undefined;
    const failed = (error: unknown) => {
      if (error instanceof ApiError && error.code === 'NOT_FOUND') {
        // Nothing of this schedule archived yet (it was just created): ask again shortly.
        setWaitingForArchive(true);
        clearTimeout(retry);
        retry = setTimeout(() => setAttempt((n) => n + 1), NOT_ARCHIVED_RETRY_MS);
      } else setProblem(adminMessage(error));
    };
    request(SalesDashboard, { scheduleId })
      .then(({ salesDashboard }) => receive(salesDashboard))
      .catch(failed);
    const stop = subscribe(SalesUpdated, { scheduleId }, { next: ({ salesUpdated }) => receive(salesUpdated), error: failed });
    return () => {
      clearTimeout(retry);
      stop();
    };
  }, [scheduleId, attempt, receive]);

  return (
    <div className="panel" aria-labelledby="sales-title">
      <h2 id="sales-title">Live sales</h2>
      <Problem message={problem} />
      {!dashboard ? (
        waitingForArchive ? (
          <p role="status">No sales recorded for this schedule yet: the archive has not caught up with its creation. This updates by itself.</p>
        ) : (
          !problem && <Loading what="the sales" />
        )
      ) : (
        <>
          <dl className="figures" data-testid="sales-figures" data-position={dashboard.asOfPosition}>
            <Figure label="Sold" value={dashboard.seatsSold} testId="sold" />
            <Figure label="Held" value={dashboard.seatsHeld} testId="held" />
            <Figure label="Blocked" value={dashboard.seatsBlocked} testId="blocked" />
            <Figure label="Available" value={dashboard.seatsAvailable} testId="available" />
            <Figure label="Revenue" value={money(dashboard.revenue)} testId="revenue" />
            <Figure label="Refunded" value={money(dashboard.refunded)} testId="refunded" />
            <Figure label="Bookings confirmed" value={dashboard.bookingsConfirmed} testId="confirmed" />
            <Figure label="Fans admitted" value={dashboard.fansAdmitted} testId="admitted" />
            <Figure label="Conversion" value={percent(dashboard.conversion)} testId="conversion" />
          </dl>
          <div className="charts">
            <TimeChart title="Seats sold over time" testId="chart-sold" points={history.map((s) => ({ at: s.at, value: s.seatsSold }))} format={String} />
            <TimeChart title="Revenue over time" testId="chart-revenue" points={history.map((s) => ({ at: s.at, value: s.revenue }))} format={money} />
            <SectionBars sections={dashboard.bySection} />
            <ConversionBar conversion={dashboard.conversion} confirmed={dashboard.bookingsConfirmed} admitted={dashboard.fansAdmitted} />
          </div>
        </>
      )}
    </div>
  );
}

function Figure({ label, value, testId }: { label: string; value: string | number; testId: string }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd data-testid={`dashboard-${testId}`}>{value}</dd>
    </div>
  );
}

type QueueStateView = Awaited<ReturnType<typeof loadQueue>>;
const loadQueue = (scheduleId: string) => request(QueueState, { scheduleId });

/** How often the waiting room's numbers are re-read: they have no push of their own. */
const QUEUE_REFRESH_MS = 5_000;

/** What the admin typed into the policy form and has not saved; a field not typed in shows the policy in force. */
interface PolicyDraft {
  rate?: string;
  cap?: string;
}

function QueueControl({ scheduleId }: { scheduleId: string }) {
  const [state, setState] = useState<QueueStateView | null>(null);
  // The fields show the policy as read until the admin types in them; a read never overwrites what
  // was typed. (They were once filled from each mount's first read: StrictMode's second mount, in a
  // development build, answered after the admin typed a rate and before the cap, and the form saved
  // the old rate with the new cap.)
  const [draft, setDraft] = useState<PolicyDraft>({});
  const issued = useRef(0);
  const shown = useRef(0);
  const { busy, problem, notice, run, setProblem } = useAction();

  const refresh = useCallback(async () => {
    const read = (issued.current += 1);
    try {
      const loaded = await loadQueue(scheduleId);
      // Reads may answer out of order (a refresh begun before a save, answered after the save's own):
      // one older than what is shown would take the screen back.
      if (read > shown.current) {
        shown.current = read;
        setState(loaded);
      }
    } catch (error) {
      setProblem(adminMessage(error));
    }
  }, [scheduleId, setProblem]);

  useEffect(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), QUEUE_REFRESH_MS);
    return () => clearInterval(timer);
  }, [refresh]);

  const rate = draft.rate ?? String(state?.queuePolicy.admitsPerSecond ?? '');
  const cap = draft.cap ?? String(state?.queuePolicy.maxActive ?? '');
  const typeIn = (field: keyof PolicyDraft, value: string) => setDraft((typed) => ({ ...typed, [field]: value }));
  const savePolicy = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      await request(SetQueuePolicy, { scheduleId, admitsPerSecond: Number(rate), maxActive: Number(cap) });
      await refresh();
      // Saved: the fields show the policy in force again (a failed save keeps what was typed).
      setDraft({});
      return 'Queue policy saved.';
    });
  };
  const pauseOrResume = (pause: boolean) =>
    void run(async () => {
      await (pause ? request(PauseQueue, { scheduleId }) : request(ResumeQueue, { scheduleId }));
      await refresh();
      return pause ? 'Queue paused: nobody is admitted, the line keeps its order.' : 'Queue resumed.';
    });

  const paused = state?.queuePolicy.paused ?? state?.queueStats.paused;
  return (
    <div className="panel" aria-labelledby="queue-title">
      <h2 id="queue-title">Waiting room</h2>
      {!state ? (
        !problem && <Loading what="the waiting room" />
      ) : (
        <>
          <p className="queue-state" data-testid="queue-paused" data-paused={String(Boolean(paused))}>
            {paused ? 'Paused: nobody is admitted.' : state.queueStats.paused ? 'Admitting nobody: sales are closed.' : 'Admitting fans.'}
          </p>
          <dl className="figures">
            <Figure label="In line" value={state.queueStats.waiting} testId="queue-waiting" />
            <Figure label="Pre-queue" value={state.queueStats.preQueue} testId="queue-pre-queue" />
            <Figure label="Shopping now" value={state.queueStats.active} testId="queue-active" />
            <Figure label="Admitted so far" value={state.queueStats.admitted} testId="queue-admitted" />
            <Figure label="Admissions per second now" value={Math.round(state.queueStats.admitsPerSecond * 100) / 100} testId="queue-rate" />
          </dl>
          <div className="actions">
            {paused ? (
              <button type="button" onClick={() => pauseOrResume(false)} disabled={busy}>
                Resume the queue
              </button>
            ) : (
              <button type="button" onClick={() => pauseOrResume(true)} disabled={busy}>
                Pause the queue
              </button>
            )}
            <button type="button" className="secondary" onClick={() => void refresh()}>
              Refresh the numbers
            </button>
          </div>
          <form className="inline" aria-label="Queue policy" onSubmit={savePolicy}>
            <label>
              Admissions per second
              <input type="number" name="admitsPerSecond" min={1} max={10_000} required value={rate} onChange={(event) => typeIn('rate', event.target.value)} />
            </label>
            <label>
              Most fans shopping at once
              <input type="number" name="maxActive" min={1} max={1_000_000} required value={cap} onChange={(event) => typeIn('cap', event.target.value)} />
            </label>
            <button type="submit" disabled={busy}>
              Save queue policy
            </button>
          </form>
        </>
      )}
      <Problem message={problem} />
      <Notice message={notice} />
    </div>
  );
}

function SalesControl({ schedule, onChanged }: { schedule: AdminScheduleView; onChanged: () => Promise<void> }) {
  const [reason, setReason] = useState('');
  const { busy, problem, notice, run } = useAction();
  const closed = Boolean(schedule.salesClosedAt);
  const close = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      await request(CloseSales, { scheduleId: schedule.id, reason });
      await onChanged();
      setReason('');
      return 'Sales closed. Fans already in line keep their places.';
    });
  };
  const open = () =>
    void run(async () => {
      await request(OpenSales, { scheduleId: schedule.id });
      await onChanged();
      return 'Sales open.';
    });
  return (
    <div className="panel" aria-labelledby="sales-switch-title">
      <h2 id="sales-switch-title">Sales</h2>
      {closed ? (
        <button type="button" onClick={open} disabled={busy}>
          Open sales now
        </button>
      ) : (
        <form className="inline" onSubmit={close} aria-label="Close sales">
          <label>
            Reason for closing sales
            <input name="reason" required maxLength={500} value={reason} onChange={(event) => setReason(event.target.value)} />
          </label>
          <button type="submit" disabled={busy}>
            Close sales
          </button>
          {new Date(schedule.bookingOpensAt) > new Date() && (
            <button type="button" className="secondary" onClick={open} disabled={busy}>
              Open sales now
            </button>
          )}
        </form>
      )}
      <Problem message={problem} />
      <Notice message={notice} />
    </div>
  );
}
