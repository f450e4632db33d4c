import { Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useApiResource } from '../../api/useApiResource';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import type { MyUser, Partner } from './partnersApi';
import { VisitImportPanel } from './VisitImportPanel';
import { partnerImportPaths } from './visitImports';
import { WorkAccess } from './WorkAccess';

const mayImport = (me: MyUser) =>
  me.user.kind === 'partner' &&
  me.user.roles.some((role) => role === 'partner_admin' || role === 'confirmer');

/** `/partner/visit-imports`: a recycling centre sends its visits file and follows the import. */
export function PartnerVisitImportsPage() {
  return (
    <WorkAccess audience="partner" allowed={mayImport}>
      {() => <OwnImports />}
    </WorkAccess>
  );
}

function OwnImports() {
  const { t } = useTranslation();
  useDocumentTitle(t('visitImports.partnerTitle'));
  const partner = useApiResource<Partner>('/api/partner', { cache: false });
  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>{t('visitImports.partnerTitle')}</Title>
        <Text size="lg" mt="xs">
          {partner.status === 'ready'
            ? t('visitImports.partnerIntro', { name: partner.data.name })
            : t('visitImports.intro')}
        </Text>
      </div>
      <VisitImportPanel paths={partnerImportPaths} />
    </Stack>
  );
}
