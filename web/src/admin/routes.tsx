import type { Route } from '../fan/routes';
import { AdminOnly } from './admin-shell';
import { BookingsPage } from './bookings.page';
import { CatalogPage, ConcertPage } from './catalog.page';
import { DashboardPage } from './dashboard.page';
import { DeadLettersPage } from './dead-letters.page';
import { SeatsPage } from './seats.page';
import { UsersPage } from './users.page';
import './admin.css';

/** The admin console: signed-in admins only (a fan sees "Admins only"; the API refuses them anyway). */
const screens: Route[] = [
  { pattern: '/admin', render: () => <CatalogPage /> },
  { pattern: '/admin/concerts/:concertId', render: ({ concertId }) => <ConcertPage key={concertId} concertId={concertId!} /> },
  { pattern: '/admin/schedules/:scheduleId', render: ({ scheduleId }) => <DashboardPage key={scheduleId} scheduleId={scheduleId!} /> },
  { pattern: '/admin/schedules/:scheduleId/seats', render: ({ scheduleId }) => <SeatsPage key={scheduleId} scheduleId={scheduleId!} /> },
  { pattern: '/admin/schedules/:scheduleId/bookings', render: ({ scheduleId }) => <BookingsPage key={scheduleId} scheduleId={scheduleId!} /> },
  { pattern: '/admin/users', render: () => <UsersPage /> },
  { pattern: '/admin/dead-letters', render: () => <DeadLettersPage /> },
];

export const adminRoutes: Route[] = screens.map((route) => ({ ...route, signedIn: true, render: (params) => <AdminOnly>{route.render(params)}</AdminOnly> }));
