import { useEffect, useState } from 'react';
import { clock } from './format';

/** The current time, re-rendered every second while mounted (countdowns). */
export function useNow(): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 1000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

export function Countdown({ until, label }: { until: string; label: string }) {
  const now = useNow();
  const left = new Date(until).getTime() - now.getTime();
  return (
    <p className={left < 60_000 ? 'countdown urgent' : 'countdown'} data-testid="countdown">
      {label} <time dateTime={until}>{clock(left)}</time>
    </p>
  );
}

/** An error the fan should read now: announced by screen readers as it appears. */
export function Problem({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <p className="problem" role="alert">
      {message}
    </p>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="loading" role="status">
      Loading {what}…
    </p>
  );
}
