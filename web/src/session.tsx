import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { setToken } from './api/client';

export interface SignedIn {
  token: string;
  user: { id: string; name: string; email: string; role: 'USER' | 'ADMIN' };
}

interface Session {
  signedIn: SignedIn | null;
  signIn: (signedIn: SignedIn) => void;
  signOut: () => void;
}

const KEY = 'ticketing.session';
const SessionContext = createContext<Session | null>(null);

function stored(): SignedIn | null {
  try {
    const value = JSON.parse(localStorage.getItem(KEY) ?? 'null') as SignedIn | null;
    return value && typeof value.token === 'string' ? value : null;
  } catch {
    return null;
  }
}

/** Who is signed in, kept in localStorage so a reload or a new tab stays signed in. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [signedIn, setSignedIn] = useState<SignedIn | null>(() => {
    const initial = stored();
    setToken(initial?.token ?? null);
    return initial;
  });
  const signIn = useCallback((next: SignedIn) => {
    localStorage.setItem(KEY, JSON.stringify(next));
    setToken(next.token);
    setSignedIn(next);
  }, []);
  const signOut = useCallback(() => {
    localStorage.removeItem(KEY);
    setToken(null);
    setSignedIn(null);
  }, []);
  const value = useMemo(() => ({ signedIn, signIn, signOut }), [signedIn, signIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}
