/** The bookings screen's pure parts: filters as API variables, the export's address and file name. */

export const BOOKING_STATUSES = ['HELD', 'PAYMENT_PENDING', 'CONFIRMED', 'CANCELLED', 'EXPIRED', 'REFUNDED'] as const;
export type BookingStatusFilter = (typeof BOOKING_STATUSES)[number];

/** The form as typed: empty strings are "any"; times are `datetime-local` values (the admin's zone). */
export interface BookingFilterForm {
  status: BookingStatusFilter | '';
  userId: string;
  createdFrom: string;
  createdBefore: string;
}

export const NO_FILTERS: BookingFilterForm = { status: '', userId: '', createdFrom: '', createdBefore: '' };

export interface BookingFilters {
  status?: BookingStatusFilter;
  userId?: string;
  createdFrom?: string;
  createdBefore?: string;
}

/** A `datetime-local` value ("2030-05-01T19:30") read in the browser's zone, as ISO-8601 UTC; '' for empty or invalid. */
export function isoFromLocalInput(value: string): string {
  if (!value) return '';
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? '' : time.toISOString();
}

/** An instant as a `datetime-local` value in the browser's zone (the inverse of isoFromLocalInput, to the minute). */
export function localInputFromIso(iso: string): string {
  const time = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${time.getFullYear()}-${pad(time.getMonth() + 1)}-${pad(time.getDate())}T${pad(time.getHours())}:${pad(time.getMinutes())}`;
}

/** Only the filters given, trimmed, times in UTC: what scheduleBookings and the export both take. */
export function filtersFrom(form: BookingFilterForm): BookingFilters {
  const createdFrom = isoFromLocalInput(form.createdFrom);
  const createdBefore = isoFromLocalInput(form.createdBefore);
  return {
    ...(form.status ? { status: form.status } : {}),
    ...(form.userId.trim() ? { userId: form.userId.trim() } : {}),
    ...(createdFrom ? { createdFrom } : {}),
    ...(createdBefore ? { createdBefore } : {}),
  };
}

/** `GET /exports/schedule-bookings.csv` with the same filters as the list on screen. */
export function exportPath(scheduleId: string, filters: BookingFilters): string {
  const query = new URLSearchParams({ scheduleId });
  for (const key of ['status', 'userId', 'createdFrom', 'createdBefore'] as const) {
    const value = filters[key];
    if (value) query.set(key, value);
  }
  return `/exports/schedule-bookings.csv?${query.toString()}`;
}

/**
 * The saved file's name says what it holds: the schedule, the status filter and when it was
 * taken (UTC, to the minute), e.g. `bookings-1a2b…-confirmed-20300501-1930.csv`. Only letters,
 * digits and dashes, so every file system accepts it.
 */
export function csvFileName(scheduleId: string, filters: BookingFilters, takenAt: Date): string {
  const stamp = takenAt.toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
  const parts = ['bookings', scheduleId, filters.status?.toLowerCase() ?? 'all', ...(filters.userId ? ['one-fan'] : []), stamp];
  return `${parts.map((part) => part.replace(/[^A-Za-z0-9-]/g, '')).join('-')}.csv`;
}
