import { Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Municipality } from '../../../api/types';
import { LoadingState } from '../../../components/LoadingState';
import { useLocale } from '../../../i18n/useLocale';
import payoutClasses from '../../resident/payouts/payouts.module.css';
import { formatTokenUnits } from '../../resident/payouts/tokenAmount';
import { municipalityPath } from '../staffContext';
import { useFreshResource } from '../useList';
import { SectionError } from './SectionError';
import type { TreasuryBalance } from './staffPayoutTypes';

/** The treasury account: its address, its tokens and the native currency it has for gas. */
export function TreasurySection({ municipality }: { municipality: Municipality }) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const treasury = useFreshResource<TreasuryBalance>(
    `${municipalityPath(municipality)}/payouts/treasury`,
  );
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="treasury-title">
      <Title order={2} size="h3" id="treasury-title" mb="sm">
        {t('staffPayouts.treasury.title')}
      </Title>
      {treasury.status === 'loading' && <LoadingState label={t('staffPayouts.loading')} />}
      {treasury.status === 'error' && (
        <SectionError error={treasury.error} onRetry={treasury.reload} />
      )}
      {treasury.status === 'ready' && (
        <Stack gap={4} data-testid="treasury">
          <Text size="sm" className={payoutClasses.mono}>
            {t('staffPayouts.treasury.address', { address: treasury.data.treasuryAddress })}
          </Text>
          <Text fw={700} size="lg" data-testid="treasury-tokens">
            {treasury.data.tokenUnits === null
              ? t('staffPayouts.treasury.noToken')
              : t('staffPayouts.treasury.tokens', {
                  amount: formatTokenUnits(
                    treasury.data.tokenUnits,
                    treasury.data.tokenDecimals,
                    locale,
                  ),
                  symbol: treasury.data.tokenSymbol,
                })}
          </Text>
          <Text data-testid="treasury-gas">
            {t('staffPayouts.treasury.gas', {
              amount: formatTokenUnits(treasury.data.nativeWei, 18, locale),
            })}
          </Text>
        </Stack>
      )}
    </Paper>
  );
}
