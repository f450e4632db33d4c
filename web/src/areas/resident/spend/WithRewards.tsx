import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useMunicipalities } from '../../../api/endpoints';
import type { Municipality } from '../../../api/types';
import { ErrorState } from '../../../components/ErrorState';
import { LoadingState } from '../../../components/LoadingState';
import { FailureAlert } from '../FailureAlert';
import { useRewards } from './spendApi';
import type { Reward } from './spendTypes';

/** What the spending pages read with the rewards: the region's municipalities (for place names). */
export interface RewardsData {
  rewards: Reward[];
  municipalities: Municipality[];
  municipality: Municipality;
}

/**
 * Loads the rewards of the resident's municipality and renders `children` with them; shows the
 * wait, or what went wrong with a way to try again.
 */
export function WithRewards({
  municipalityId,
  loadingLabel,
  children,
}: {
  municipalityId: string;
  loadingLabel: string;
  children: (data: RewardsData) => ReactNode;
}) {
  const { t } = useTranslation();
  const list = useMunicipalities();
  if (list.status === 'loading') return <LoadingState label={loadingLabel} />;
  if (list.status === 'error') return <ErrorState error={list.error} onRetry={list.retry} />;
  const municipality = list.data.items.find((m) => m.id === municipalityId);
  if (!municipality) {
    return (
      <FailureAlert title={t('earn.noMunicipality.title')}>
        {t('earn.noMunicipality.text')}
      </FailureAlert>
    );
  }
  return (
    <RewardsOf municipality={municipality} loadingLabel={loadingLabel}>
      {(rewards) => children({ rewards, municipality, municipalities: list.data.items })}
    </RewardsOf>
  );
}

function RewardsOf({
  municipality,
  loadingLabel,
  children,
}: {
  municipality: Municipality;
  loadingLabel: string;
  children: (rewards: Reward[]) => ReactNode;
}) {
  const rewards = useRewards(municipality.slug);
  if (rewards.status === 'loading') return <LoadingState label={loadingLabel} />;
  if (rewards.status === 'error') {
    return <ErrorState error={rewards.error} onRetry={rewards.retry} />;
  }
  return children(rewards.data.items);
}
