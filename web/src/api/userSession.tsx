import { createContext, type ReactNode, useCallback, useContext, useEffect, useState } from 'react';
import { ApiError, getJson, postJson, setCsrfToken } from './client';
import type { MyUser } from './types';

export type UserSessionState =
  | { status: 'loading' }
  | { status: 'signedOut' }
  | { status: 'signedIn'; me: MyUser }
  | { status: 'error'; error: ApiError };

interface UserSession {
  state: UserSessionState;
  /** Asks the API again who is signed in (after signing in). */
  refresh: () => Promise<void>;
  /** Ends this session; rejects with ApiError. */
  signOut: () => Promise<void>;
}

const UserSessionContext = createContext<UserSession | null>(null);

async function loadUserSession(): Promise<UserSessionState> {
  try {
    const me = await getJson<MyUser>('/api/users/me');
    setCsrfToken(me.csrfToken);
    return { status: 'signedIn', me };
  } catch (error) {
    // 401: nobody signed in; 403: a resident's session, which is no user's.
    if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
      return { status: 'signedOut' };
    }
    return {
      status: 'error',
      error: error instanceof ApiError ? error : new ApiError('network', null, null),
    };
  }
}

/**
 * Knows whether a staff member, operator admin or partner user is signed in
 * (GET /api/users/me), for the work sign-in page and the staff area.
 */
export function UserSessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<UserSessionState>({ status: 'loading' });

  const refresh = useCallback(async () => {
    setState(await loadUserSession());
  }, []);

  useEffect(() => {
    let active = true;
    void loadUserSession().then((next) => {
      if (active) setState(next);
    });
    return () => {
      active = false;
    };
  }, []);

  const signOut = useCallback(async () => {
    try {
      await postJson('/api/auth/sign-out');
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 401)) throw error;
    }
    setCsrfToken(null);
    setState({ status: 'signedOut' });
  }, []);

  return (
    <UserSessionContext.Provider value={{ state, refresh, signOut }}>
      {children}
    </UserSessionContext.Provider>
  );
}

/** The user session of this browser; only inside UserSessionProvider. */
export function useUserSession(): UserSession {
  const session = useContext(UserSessionContext);
  if (!session) throw new Error('useUserSession needs a UserSessionProvider');
  return session;
}
