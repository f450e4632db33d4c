import { Container } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useApiResource } from '../../api/useApiResource';
import { useUserSession } from '../../api/userSession';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import { NotForYourRole } from '../partners/portal/NotForYourRole';
import type { PartnerContext } from '../partners/portal/PartnerLayout';
import { SignInFirst } from '../partners/portal/PartnerLayout';
import { Refusal } from '../partners/WorkAccess';
import { PosTill } from './PosTill';

/** Who may work the till (src/shared/policy.ts: `vouchers.redeem`). */
const MAY_REDEEM = ['partner_admin', 'cashier'];

/**
 * `/partner/pos` (and `/pos`): the point of sale of a partner's cashier. Outside the portal's
 * frame, like the kiosk, so the one screen is all till: scan or type, and the answer.
 */
export function PosPage() {
  const { t } = useTranslation();
  const session = useUserSession();
  const { state } = session;
  if (state.status === 'loading') return <LoadingState label={t('pos.loading')} />;
  if (state.status === 'error') {
    return <ErrorState error={state.error} onRetry={() => void session.refresh()} />;
  }
  if (state.status === 'signedOut') return <SignInFirst />;
  if (state.me.user.kind !== 'partner') {
    return (
      <Container size="lg" py="xl">
        <Refusal audience="partner" reason="notAllowed" />
      </Container>
    );
  }
  if (!state.me.user.roles.some((role) => MAY_REDEEM.includes(role))) {
    return (
      <Container size="lg" py="xl">
        <NotForYourRole job="pos" />
      </Container>
    );
  }
  return <WithPartner me={state.me} />;
}

function WithPartner({ me }: { me: PartnerContext['me'] }) {
  const { t } = useTranslation();
  const partner = useApiResource<PartnerContext['partner']>('/api/partner', { cache: false });
  if (partner.status === 'loading') return <LoadingState label={t('pos.loading')} />;
  if (partner.status === 'error') {
    return <ErrorState error={partner.error} onRetry={partner.retry} headingLevel={1} />;
  }
  return <PosTill me={me} partner={partner.data} />;
}
