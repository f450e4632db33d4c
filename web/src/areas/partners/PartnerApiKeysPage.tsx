import { Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useApiResource } from '../../api/useApiResource';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { ApiKeysPanel } from './ApiKeysPanel';
import type { MyUser, Partner } from './partnersApi';
import { WorkAccess } from './WorkAccess';

const isPartnerAdmin = (me: MyUser) =>
  me.user.kind === 'partner' && me.user.roles.includes('partner_admin');

/** `/partner/api-keys`: a partner admin's own API keys, with the same panel staff use. */
export function PartnerApiKeysPage() {
  return (
    <WorkAccess audience="partner" allowed={isPartnerAdmin}>
      {() => <OwnKeys />}
    </WorkAccess>
  );
}

function OwnKeys() {
  const { t } = useTranslation();
  useDocumentTitle(t('partners.portal.title'));
  const partner = useApiResource<Partner>('/api/partner', { cache: false });
  return (
    <Stack gap="lg">
      <Title order={1}>{t('partners.portal.title')}</Title>
      {partner.status === 'loading' && <LoadingState label={t('partners.loading')} />}
      {partner.status === 'error' && <ErrorState error={partner.error} onRetry={partner.retry} />}
      {partner.status === 'ready' && (
        <Text size="lg">{t('partners.portal.intro', { name: partner.data.name })}</Text>
      )}
      <ApiKeysPanel basePath="/api/partner/api-keys" />
    </Stack>
  );
}
