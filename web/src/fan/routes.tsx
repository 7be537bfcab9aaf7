import type { ReactNode } from 'react';
import { BookingPage } from './booking.page';
import { ConcertsPage } from './concerts.page';
import { MyBookingsPage } from './my-bookings.page';
import { SchedulePage } from './schedule.page';
import { SignInPage } from './sign-in.page';

export interface Route {
  pattern: string;
  /** Signed-in fans only: others are sent to /signin and brought back. */
  signedIn?: boolean;
  render: (params: Record<string, string>) => ReactNode;
}

/** The fan section. Another section (the admin console) brings its own list to app.tsx. */
export const fanRoutes: Route[] = [
  { pattern: '/', render: () => <ConcertsPage /> },
  { pattern: '/signin', render: () => <SignInPage next={new URLSearchParams(location.search).get('next') ?? '/'} /> },
  { pattern: '/schedules/:scheduleId', render: ({ scheduleId }) => <SchedulePage key={scheduleId} scheduleId={scheduleId!} /> },
  { pattern: '/bookings', signedIn: true, render: () => <MyBookingsPage /> },
  { pattern: '/bookings/:bookingId', signedIn: true, render: ({ bookingId }) => <BookingPage key={bookingId} bookingId={bookingId!} /> },
];
