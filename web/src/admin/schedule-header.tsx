import { useCallback, useEffect, useState } from 'react';
import { ApiError, request } from '../api/client';
import { graphql } from '../generated';
import type { AdminScheduleQuery } from '../generated/graphql';
import { Link } from '../router';
import { dateTime } from '../ui/format';
import { adminMessage, ScheduleNav } from './admin-shell';

const AdminSchedule = graphql(`
  query AdminSchedule($id: ID!) {
    schedule(id: $id) {
      id startsAt bookingOpensAt maxSeatsPerFan refundCutoffHours salesClosedAt pricesFrozenAt
      concert { id title venue }
    }
  }
`);

export type AdminScheduleView = NonNullable<AdminScheduleQuery['schedule']>;

/** The schedule the console screen is about, re-readable after a change (the mutations answer only part of it). */
export function useAdminSchedule(scheduleId: string) {
  const [schedule, setSchedule] = useState<AdminScheduleView | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const reload = useCallback(async () => {
    try {
      const { schedule: loaded } = await request(AdminSchedule, { id: scheduleId });
      if (!loaded) throw new ApiError({ code: 'NOT_FOUND' });
      setSchedule(loaded);
    } catch (error) {
      setProblem(adminMessage(error));
    }
  }, [scheduleId]);
  useEffect(() => void reload(), [reload]);
  return { schedule, problem, reload };
}

export function ScheduleHeader({ schedule, screen }: { schedule: AdminScheduleView; screen: string }) {
  return (
    <header className="schedule-header">
      <p>
        <Link href={`/admin/concerts/${schedule.concert.id}`}>← {schedule.concert.title}</Link>
      </p>
      <h1 id="screen-title">
        {screen}: {schedule.concert.title}, {dateTime(schedule.startsAt)}
      </h1>
      <p className="muted">
        {schedule.concert.venue} · booking opens {dateTime(schedule.bookingOpensAt)} · up to {schedule.maxSeatsPerFan} seats per fan · refunds until{' '}
        {schedule.refundCutoffHours} h before the show ·{' '}
        <span data-testid="sales-state">{schedule.salesClosedAt
            ? `sales closed since ${dateTime(schedule.salesClosedAt)}`
            : new Date(schedule.bookingOpensAt) > new Date()
              ? 'not on sale yet'
              : 'on sale'}</span>
        {schedule.pricesFrozenAt ? ` · prices frozen since ${dateTime(schedule.pricesFrozenAt)}` : ''}
      </p>
      <ScheduleNav scheduleId={schedule.id} />
    </header>
  );
}
