import { Text } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Municipality } from '../../api/types';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import type { Partner } from '../partners/partnersApi';
import { staffPartnersPath } from '../partners/partnersApi';
import { VisitImportPanel } from '../partners/VisitImportPanel';
import { staffImportPaths } from '../partners/visitImports';
import { StaffGate } from './StaffGate';
import { useFreshResource } from './useList';

/** `/staff/imports`: staff import a recycling centre's visits file for it and follow the import. */
export function StaffImportsPage() {
  const { t } = useTranslation();
  return (
    <StaffGate title={t('staffArea.nav.imports')} permission="claims.import">
      {(municipality) => <Imports key={municipality.slug} municipality={municipality} />}
    </StaffGate>
  );
}

function Imports({ municipality }: { municipality: Municipality }) {
  const { t } = useTranslation();
  const paths = useMemo(() => staffImportPaths(municipality.slug), [municipality.slug]);
  const partners = useFreshResource<{ items: Partner[] }>(staffPartnersPath(municipality.slug));
  return (
    <>
      <Text size="lg">{t('visitImports.intro')}</Text>
      {partners.status === 'loading' && <LoadingState label={t('visitImports.loading')} />}
      {partners.status === 'error' && (
        <ErrorState error={partners.error} onRetry={partners.reload} />
      )}
      {partners.status === 'ready' && (
        <VisitImportPanel
          paths={paths}
          partners={partners.data.items.filter(
            (p) => p.kind === 'recycling_centre' && p.status === 'active',
          )}
        />
      )}
    </>
  );
}
