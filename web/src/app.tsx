import { useEffect, useState } from 'react';
import { adminRoutes } from './admin/routes';
import { onConnectionChange, type Connection } from './api/client';
import { fanRoutes, type Route } from './fan/routes';
import { Link, match, navigate, usePath } from './router';
import { SessionProvider, useSession } from './session';

/** Sections in the order their patterns are tried: the fans' pages, then the admin console. */
const routes: Route[] = [...fanRoutes, ...adminRoutes];

export function App() {
  return (
    <SessionProvider>
      <Shell />
    </SessionProvider>
  );
}

function Shell() {
  const path = usePath();
  const { signedIn, signOut } = useSession();
  const found = routes.map((route) => ({ route, params: match(route.pattern, path) })).find(({ params }) => params !== null);
  const mustSignIn = Boolean(found?.route.signedIn && !signedIn);
  useEffect(() => {
    if (mustSignIn) navigate(`/signin?next=${encodeURIComponent(path)}`);
  }, [mustSignIn, path]);

  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <Link href="/" className="brand">
          Ticketing
        </Link>
        <nav aria-label="Main">
          <Link href="/">Concerts</Link>
          {signedIn && <Link href="/bookings">My bookings</Link>}
          {/* A convenience only: the console's screens and the API check the role themselves. */}
          {signedIn?.user.role === 'ADMIN' && <Link href="/admin">Admin console</Link>}
          {signedIn ? (
            <button type="button" className="link" onClick={() => (signOut(), navigate('/'))}>
              Log out {signedIn.user.name}
            </button>
          ) : (
            <Link href="/signin">Log in</Link>
          )}
        </nav>
      </header>
      <ConnectionBanner />
      <main id="main">
        {found && !mustSignIn ? (
          found.route.render(found.params ?? {})
        ) : !found ? (
          <section>
            <h1>Page not found</h1>
            <p>
              <Link href="/">Back to the concerts</Link>
            </p>
          </section>
        ) : null}
      </main>
    </>
  );
}

/** Shown only while the live connection is down; screens re-read what they show once it is back. */
function ConnectionBanner() {
  const [state, setState] = useState<Connection>('connected');
  useEffect(() => onConnectionChange(setState), []);
  if (state === 'connected') return null;
  return (
    <p className="banner" role="status" data-testid="connection-lost">
      Connection lost. Reconnecting…
    </p>
  );
}
