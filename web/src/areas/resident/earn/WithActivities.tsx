import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorState } from '../../../components/ErrorState';
import { LoadingState } from '../../../components/LoadingState';
import { FailureAlert } from '../FailureAlert';
import { useActivities, useMunicipalitySlug } from './earnApi';
import type { Activity } from './earnTypes';

/**
 * Loads the activities of the resident's municipality and renders `children` with them; shows
 * the wait, or what went wrong with a way to try again.
 */
export function WithActivities({
  municipalityId,
  loadingLabel,
  children,
}: {
  municipalityId: string;
  loadingLabel: string;
  children: (activities: Activity[]) => ReactNode;
}) {
  const { t } = useTranslation();
  const slug = useMunicipalitySlug(municipalityId);
  if (slug.status === 'loading') return <LoadingState label={loadingLabel} />;
  if (slug.status === 'error') return <ErrorState error={slug.error} onRetry={slug.retry} />;
  if (!slug.data) {
    return (
      <FailureAlert title={t('earn.noMunicipality.title')}>
        {t('earn.noMunicipality.text')}
      </FailureAlert>
    );
  }
  return (
    <ActivitiesOf slug={slug.data} loadingLabel={loadingLabel}>
      {children}
    </ActivitiesOf>
  );
}

function ActivitiesOf({
  slug,
  loadingLabel,
  children,
}: {
  slug: string;
  loadingLabel: string;
  children: (activities: Activity[]) => ReactNode;
}) {
  const list = useActivities(slug);
  if (list.status === 'loading') return <LoadingState label={loadingLabel} />;
  if (list.status === 'error') return <ErrorState error={list.error} onRetry={list.retry} />;
  return children(list.data.items.filter((activity) => activity.status === 'active'));
}
