import { Paper, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatCount, pluralForm } from '../../../i18n/format';
import { useLocale } from '../../../i18n/useLocale';
import { Fact } from '../spend/Fact';
import spend from '../spend/spend.module.css';
import type { EnabledPayoutSettings } from './payoutTypes';
import { formatTokenUnits, unitsForPoints } from './tokenAmount';

/** What one point is worth in tokens, e.g. "1 point = 0.01 CIVIC", or null when unknown. */
function useRateText(settings: EnabledPayoutSettings): string | null {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const units = unitsForPoints(1, settings.tokenUnitsPerPoint);
  if (units === null) return null;
  return t('payouts.summary.rateText', {
    tokens: formatTokenUnits(units, settings.tokenDecimals, locale),
    symbol: settings.tokenSymbol,
  });
}

/** The rules of payouts here: token, rate, limits, and what is left of this year's cap. */
export function PayoutSummary({ settings }: { settings: EnabledPayoutSettings }) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const rate = useRateText(settings);
  const left = Math.max(0, settings.yearlyCapPoints - settings.usedThisYearPoints);
  const points = (n: number) =>
    t(`payouts.pointsCount.${pluralForm(n, locale)}`, { points: formatCount(n, locale) });
  return (
    <Paper withBorder radius="lg" p="lg" component="section" aria-labelledby="payout-summary">
      <Title order={2} size="h4" id="payout-summary" mb="md">
        {t('payouts.summary.title')}
      </Title>
      <dl className={spend.facts} data-testid="payout-summary">
        <Fact name={t('payouts.summary.token')}>
          <Text fw={700}>{settings.tokenSymbol}</Text>
        </Fact>
        {rate && (
          <Fact name={t('payouts.summary.rate')} testId="payout-rate">
            <Text>{rate}</Text>
          </Fact>
        )}
        <Fact name={t('payouts.summary.limits')}>
          <Text>
            {t('payouts.summary.limitsText', {
              min: formatCount(settings.minPoints, locale),
              max: formatCount(settings.maxPoints, locale),
            })}
          </Text>
        </Fact>
        <Fact name={t('payouts.summary.left')} testId="payout-left">
          <Text fw={700}>{points(left)}</Text>
          <Text size="sm">
            {t('payouts.summary.capText', {
              cap: formatCount(settings.yearlyCapPoints, locale),
              used: formatCount(settings.usedThisYearPoints, locale),
            })}
          </Text>
        </Fact>
        {settings.approvalThresholdPoints !== null && (
          <Fact name={t('payouts.summary.approval')}>
            <Text>
              {t('payouts.summary.approvalText', {
                points: formatCount(settings.approvalThresholdPoints, locale),
              })}
            </Text>
          </Fact>
        )}
      </dl>
    </Paper>
  );
}
