import { createContext, type ReactNode, useCallback, useContext, useEffect, useState } from 'react';
import { clearPersonalCache, keepPersonalCacheFor } from '../offline/personalCache';
import { ApiError, getJson, postJson, setCsrfToken } from './client';
import type { Me } from './types';

export type SessionState =
  | { status: 'loading' }
  | { status: 'signedOut' }
  | { status: 'signedIn'; me: Me }
  /** Not a resident: a staff member, operator or partner user (their own area is elsewhere). */
  | { status: 'worker'; area: '/staff' | '/partner' }
  | { status: 'error'; error: ApiError };

interface Session {
  state: SessionState;
  /** Asks the API again who is signed in (after signing in). */
  refresh: () => Promise<void>;
  /** Ends this session (`everywhere`: all of the resident's sessions); rejects with ApiError. */
  signOut: (everywhere?: boolean) => Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

async function loadSession(): Promise<SessionState> {
  try {
    const me = await getJson<Me>('/api/me');
    setCsrfToken(me.csrfToken);
    // Offline, /api/me is the service worker's last answer: the same resident, so nothing goes.
    await keepPersonalCacheFor(me.id);
    return { status: 'signedIn', me };
  } catch (error) {
    // Nobody is signed in as a resident: what was kept for offline use goes (personalCache.ts).
    const signedOut = error instanceof ApiError && (error.status === 401 || error.status === 403);
    if (signedOut) await clearPersonalCache();
    // 403: a staff, operator or partner user's session (no resident's), whose token stays.
    if (error instanceof ApiError && error.status === 403) return workerState();
    setCsrfToken(null);
    if (error instanceof ApiError && error.status === 401) return { status: 'signedOut' };
    return {
      status: 'error',
      error: error instanceof ApiError ? error : new ApiError('network', null, null),
    };
  }
}

/** Where a signed-in staff member, operator or partner user works, for the header's link. */
async function workerState(): Promise<SessionState> {
  try {
    const { user } = await getJson<{ user: { kind: 'staff' | 'operator' | 'partner' } }>(
      '/api/users/me',
    );
    return { status: 'worker', area: user.kind === 'partner' ? '/partner' : '/staff' };
  } catch {
    return { status: 'signedOut' };
  }
}

/** Knows whether a resident is signed in (GET /api/me) for the header and the resident area. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });

  const refresh = useCallback(async () => {
    setState(await loadSession());
  }, []);

  useEffect(() => {
    let active = true;
    void loadSession().then((next) => {
      if (active) setState(next);
    });
    return () => {
      active = false;
    };
  }, []);

  const signOut = useCallback(async (everywhere = false) => {
    try {
      await postJson(everywhere ? '/api/auth/sign-out-everywhere' : '/api/auth/sign-out');
    } catch (error) {
      // A session that already ended is as good as signed out.
      if (!(error instanceof ApiError && error.status === 401)) throw error;
    }
    setCsrfToken(null);
    await clearPersonalCache();
    setState({ status: 'signedOut' });
  }, []);

  return (
    <SessionContext.Provider value={{ state, refresh, signOut }}>
      {children}
    </SessionContext.Provider>
  );
}

/** The session of this browser; only inside SessionProvider. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession needs a SessionProvider');
  return session;
}
