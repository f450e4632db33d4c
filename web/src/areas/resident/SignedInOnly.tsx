import type { ReactNode } from 'react';
import { useSession } from '../../api/session';
import type { Me } from '../../api/types';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import { AreaLanding } from '../AreaLanding';
import { ResidentSignInCall } from './ResidentSignInCall';

/**
 * A resident page: its content for the signed-in resident, the landing with "Sign in" for
 * anyone else, and a wait or an error while the session is not known.
 */
export function SignedInOnly({
  loadingLabel,
  children,
}: {
  loadingLabel: string;
  children: (me: Me) => ReactNode;
}) {
  const session = useSession();
  const { state } = session;
  if (state.status === 'loading') return <LoadingState label={loadingLabel} />;
  if (state.status === 'error') {
    return <ErrorState error={state.error} onRetry={() => void session.refresh()} />;
  }
  if (state.status === 'signedOut' || state.status === 'worker') {
    return (
      <AreaLanding area="resident" comingSoon={false}>
        <ResidentSignInCall />
      </AreaLanding>
    );
  }
  return children(state.me);
}
