import { Button, Container, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useApiResource } from '../../api/useApiResource';
import { useUserSession } from '../../api/userSession';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { NotForYourRole } from '../partners/portal/NotForYourRole';
import type { PartnerContext } from '../partners/portal/PartnerLayout';
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
  if (state.status === 'signedOut') return <PosLanding />;
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

/** The till for someone not signed in: what it is, and the way in (the cashier's sign-in). */
function PosLanding() {
  const { t } = useTranslation();
  useDocumentTitle(t('areas.pos.name'));
  return (
    <Container size="lg" py="xl">
      <Paper withBorder radius="lg" p={{ base: 'lg', sm: 'xl' }} maw="44rem" bg="gray.0">
        <Stack gap="md" align="flex-start">
          <Title order={1}>{t('areas.pos.name')}</Title>
          <Text size="lg">{t('areas.pos.landing')}</Text>
          <Button component={Link} to="/work/sign-in" size="lg" mih="2.75rem">
            {t('nav.signIn')}
          </Button>
        </Stack>
      </Paper>
    </Container>
  );
}
