import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { api, ApiError, keyStore } from './api';
import type { Role, WhoAmI } from './types';

interface Session {
  who: WhoAmI | null;
  signIn(key: string): Promise<void>;
  signOut(): void;
  /** Whether the signed-in role may do this; the API checks again and answers 403 if not. */
  can(needs: Role[]): boolean;
}

const SessionContext = createContext<Session | null>(null);

/** Who a key is: GET /admin/whoami. */
async function whoIs(key: string): Promise<WhoAmI> {
  try {
    return await api<WhoAmI>('/admin/whoami', { key });
  } catch (error) {
    // A gateway without admin roles has no whoami: there the one admin key may do everything.
    if (!(error instanceof ApiError) || error.status !== 404) throw error;
    await api('/admin/keys', { key });
    return { id: null, name: 'admin key', role: 'admin' };
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [who, setWho] = useState<WhoAmI | null>(null);
  const [ready, setReady] = useState(false);

  useEffect(() => {
    const key = keyStore.get();
    if (!key) {
      setReady(true);
      return;
    }
    whoIs(key)
      .then(setWho)
      .catch(() => keyStore.clear())
      .finally(() => setReady(true));
  }, []);

  const signIn = useCallback(async (key: string) => {
    const found = await whoIs(key);
    keyStore.set(key);
    setWho(found);
  }, []);

  const signOut = useCallback(() => {
    keyStore.clear();
    setWho(null);
  }, []);

  const can = useCallback((needs: Role[]) => who !== null && needs.includes(who.role), [who]);

  if (!ready) return <p className="loading">Loading…</p>;
  return <SessionContext.Provider value={{ who, signIn, signOut, can }}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

export { ApiError };
