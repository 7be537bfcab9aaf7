import { useCallback, useState, type ReactNode } from 'react';
import { ApiError, messageOf } from '../api/client';
import { Link, usePath } from '../router';
import { useSession } from '../session';

export const ADMINS_ONLY = 'Admins only';

/** A refusal of the API as the console words it: FORBIDDEN means this account is no admin (any more). */
export function adminMessage(error: unknown): string {
  if (error instanceof ApiError && error.code === 'FORBIDDEN') return `${ADMINS_ONLY}: this account may not do that. Log in with an admin account.`;
  return messageOf(error);
}

/**
 * The console's frame: a fan (or a stale session) gets a page that says so instead of screens
 * the API would refuse piece by piece. The API stays the real check: every call is admin-only.
 */
export function AdminOnly({ children }: { children: ReactNode }) {
  const { signedIn } = useSession();
  if (signedIn?.user.role !== 'ADMIN') {
    return (
      <section aria-labelledby="admins-only-title" data-testid="admins-only">
        <h1 id="admins-only-title">{ADMINS_ONLY}</h1>
        <p>The console is for the box office&apos;s admins. You are logged in as {signedIn?.user.email ?? 'a fan'}.</p>
        <p>
          <Link href="/">Back to the concerts</Link>
        </p>
      </section>
    );
  }
  return (
    <>
      <AdminNav />
      {children}
    </>
  );
}

function NavLink({ href, children, exact = false }: { href: string; children: ReactNode; exact?: boolean }) {
  const path = usePath();
  const current = exact ? path === href : path === href || path.startsWith(`${href}/`);
  return (
    <Link href={href} aria-current={current ? 'page' : undefined}>
      {children}
    </Link>
  );
}

function AdminNav() {
  return (
    <nav aria-label="Admin console" className="admin-nav">
      <NavLink href="/admin" exact>
        Catalog
      </NavLink>
      <NavLink href="/admin/users">Users</NavLink>
      <NavLink href="/admin/dead-letters">Dead letters</NavLink>
    </nav>
  );
}

/** One schedule's screens. */
export function ScheduleNav({ scheduleId }: { scheduleId: string }) {
  const base = `/admin/schedules/${scheduleId}`;
  return (
    <nav aria-label="This schedule" className="admin-nav sub">
      <NavLink href={base} exact>
        Dashboard and queue
      </NavLink>
      <NavLink href={`${base}/seats`}>Seats and prices</NavLink>
      <NavLink href={`${base}/bookings`}>Bookings</NavLink>
    </nav>
  );
}

/** What every admin form needs: one call at a time, its refusal in words, its success said aloud. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const run = useCallback(async (work: () => Promise<string | void>): Promise<boolean> => {
    setBusy(true);
    setProblem(null);
    setNotice(null);
    try {
      const said = await work();
      if (said) setNotice(said);
      return true;
    } catch (error) {
      setProblem(adminMessage(error));
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, problem, notice, run, setProblem };
}

/** A success, announced politely (the error next to it is role="alert"). */
export function Notice({ message }: { message: string | null }) {
  return (
    <p className="notice" role="status" aria-live="polite">
      {message ?? ''}
    </p>
  );
}
