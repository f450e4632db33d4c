import { BarChart } from '@mantine/charts';
import { Alert, Anchor, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Municipality } from '../../../api/types';
import { ErrorState } from '../../../components/ErrorState';
import { AlertIcon } from '../../../components/icons';
import { LoadingState } from '../../../components/LoadingState';
import { ChartFigure } from '../../../figures/ChartFigure';
import { formatMonth, formatPercent } from '../../../figures/format';
import { Stat } from '../../../figures/Stat';
import { formatCount, formatEuroCents } from '../../../i18n/format';
import { useLocale } from '../../../i18n/useLocale';
import { can } from '../access';
import { type Column, DataTable } from '../DataTable';
import { StaffGate } from '../StaffGate';
import { municipalityPath, useStaff } from '../staffContext';
import { useFreshResource } from '../useList';
import type { Liability } from './spendingTypes';

/**
 * `/staff/liability`: what the municipality's outstanding points would cost — points residents
 * hold, what it owes partners, the total against its budget (with a warning when over) — open
 * vouchers by reward, owed per partner, what expires per month (a chart with its table), and
 * how many vouchers get used.
 */
export function LiabilityPage() {
  const { t } = useTranslation();
  return (
    <StaffGate title={t('staffArea.nav.liability')} permission="liability.read">
      {(municipality) => <LiabilityLoader municipality={municipality} />}
    </StaffGate>
  );
}

function LiabilityLoader({ municipality }: { municipality: Municipality }) {
  const { t } = useTranslation();
  const resource = useFreshResource<Liability>(`${municipalityPath(municipality)}/liability`);
  if (resource.status === 'loading') return <LoadingState label={t('staffLiability.loading')} />;
  if (resource.status === 'error') {
    return <ErrorState error={resource.error} onRetry={resource.reload} />;
  }
  return <LiabilityFigures liability={resource.data} municipality={municipality} />;
}

function LiabilityFigures({
  liability: l,
  municipality,
}: {
  liability: Liability;
  municipality: Municipality;
}) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const { me } = useStaff();
  const euros = (cents: number) => formatEuroCents(cents, locale);
  const count = (n: number) => formatCount(n, locale);
  const circulating = l.spendablePoints + l.heldPoints;
  const ended =
    l.vouchersLastYear.redeemed + l.vouchersLastYear.expired + l.vouchersLastYear.cancelled;

  type Open = Liability['openVouchers'][number];
  const openColumns: Column<Open>[] = [
    {
      key: 'reward',
      label: t('staffLiability.open.reward'),
      sortValue: (r) => r.names[locale],
      render: (r) => r.names[locale],
    },
    {
      key: 'count',
      label: t('staffLiability.open.count'),
      numeric: true,
      sortValue: (r) => r.count,
      render: (r) => count(r.count),
    },
    {
      key: 'points',
      label: t('staffLiability.points'),
      numeric: true,
      sortValue: (r) => r.points,
      render: (r) => count(r.points),
    },
    {
      key: 'cents',
      label: t('staffLiability.value'),
      numeric: true,
      sortValue: (r) => r.cents,
      render: (r) => euros(r.cents),
    },
  ];
  type Owed = Liability['owedToPartners'][number];
  const owedColumns: Column<Owed>[] = [
    {
      key: 'partner',
      label: t('staffLiability.owed.partner'),
      sortValue: (r) => r.name ?? r.partnerId,
      render: (r) => r.name ?? r.partnerId,
    },
    {
      key: 'redemptions',
      label: t('staffLiability.owed.redemptions'),
      numeric: true,
      sortValue: (r) => r.redemptions,
      render: (r) => count(r.redemptions),
    },
    {
      key: 'points',
      label: t('staffLiability.points'),
      numeric: true,
      sortValue: (r) => r.points,
      render: (r) => count(r.points),
    },
    {
      key: 'cents',
      label: t('staffLiability.owed.amount'),
      numeric: true,
      sortValue: (r) => r.cents,
      render: (r) => euros(r.cents),
    },
  ];
  const expiringPoints = l.expiring.reduce((sum, m) => sum + m.points + m.voucherPoints, 0);

  return (
    <Stack gap="xl">
      <Text size="lg">
        {t('staffLiability.intro', {
          municipality: municipality.names[locale],
          value: euros(l.pointValueCents),
        })}
      </Text>
      {l.overBudget && l.budgetCents !== null && (
        <Alert
          color="red"
          variant="light"
          icon={<AlertIcon />}
          title={t('staffLiability.overBudgetTitle')}
          data-testid="over-budget"
        >
          {t('staffLiability.overBudget', {
            total: euros(l.totalCents),
            budget: euros(l.budgetCents),
            over: euros(l.totalCents - l.budgetCents),
          })}
        </Alert>
      )}
      <section aria-labelledby="liability-headline">
        <Title order={2} size="h3" id="liability-headline" mb="sm">
          {t('staffLiability.headline')}
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="md">
          <Stat
            testId="liability-points"
            label={t('staffLiability.circulating')}
            value={count(circulating)}
            note={t('staffLiability.circulatingNote', {
              spendable: count(l.spendablePoints),
              held: count(l.heldPoints),
              value: euros(l.residentsCents),
            })}
          />
          <Stat
            testId="liability-owed"
            label={t('staffLiability.owedToPartners')}
            value={euros(l.owedToPartnersCents)}
            note={t('staffLiability.owedNote')}
          />
          <Stat
            testId="liability-total"
            label={t('staffLiability.total')}
            value={euros(l.totalCents)}
            note={
              l.budgetCents === null
                ? t('staffLiability.noBudget')
                : l.overBudget
                  ? t('staffLiability.budgetOver', { budget: euros(l.budgetCents) })
                  : t('staffLiability.budgetWithin', { budget: euros(l.budgetCents) })
            }
          />
          <Stat
            testId="liability-rate"
            label={t('staffLiability.rate')}
            value={formatPercent(l.redemptionRate, locale)}
            note={
              ended === 0
                ? t('staffLiability.rateNone')
                : t('staffLiability.rateNote', {
                    redeemed: count(l.vouchersLastYear.redeemed),
                    ended: count(ended),
                    expired: count(l.vouchersLastYear.expired),
                    cancelled: count(l.vouchersLastYear.cancelled),
                    open: count(l.vouchersLastYear.open),
                  })
            }
          />
        </SimpleGrid>
        {can(me.user, 'municipality.settings') && (
          <Text size="sm" mt="sm">
            <Anchor component={Link} to="/staff/settings#spending-settings" underline="always">
              {t('staffLiability.setBudget')}
            </Anchor>
          </Text>
        )}
      </section>
      <ChartFigure
        id="expiring-chart"
        title={t('staffLiability.expiring.title')}
        summary={
          l.expiring.length === 0
            ? t('staffLiability.expiring.none')
            : t('staffLiability.expiring.summary', {
                points: count(expiringPoints),
                from: formatMonth(l.expiring[0]!.month, locale, 'long'),
                to: formatMonth(l.expiring.at(-1)!.month, locale, 'long'),
              })
        }
        chart={
          <BarChart
            h={240}
            data={l.expiring.map((m) => ({
              month: formatMonth(m.month, locale),
              wallets: m.points,
              vouchers: m.voucherPoints,
            }))}
            dataKey="month"
            type="stacked"
            withLegend
            series={[
              { name: 'wallets', label: t('staffLiability.expiring.wallets'), color: 'civic.7' },
              { name: 'vouchers', label: t('staffLiability.expiring.vouchers'), color: 'orange.8' },
            ]}
            valueFormatter={(value) => count(value)}
            yAxisProps={{ width: 64 }}
            accessibilityLayer={false}
          />
        }
        columns={[
          {
            key: 'month',
            label: t('figures.month'),
            render: (m) => formatMonth(m.month, locale, 'long'),
          },
          {
            key: 'points',
            label: t('staffLiability.expiring.wallets'),
            numeric: true,
            render: (m) => count(m.points),
          },
          {
            key: 'vouchers',
            label: t('staffLiability.expiring.voucherCount'),
            numeric: true,
            render: (m) => count(m.vouchers),
          },
          {
            key: 'voucherPoints',
            label: t('staffLiability.expiring.vouchers'),
            numeric: true,
            render: (m) => count(m.voucherPoints),
          },
          {
            key: 'value',
            label: t('staffLiability.value'),
            numeric: true,
            render: (m) => euros((m.points + m.voucherPoints) * l.pointValueCents),
          },
        ]}
        rows={l.expiring}
        rowKey={(m) => m.month}
      />
      <section aria-labelledby="open-title">
        <Title order={2} size="h3" id="open-title" mb="sm">
          {t('staffLiability.open.title')}
        </Title>
        <DataTable
          caption={t('staffLiability.open.caption')}
          columns={openColumns}
          rows={l.openVouchers}
          rowKey={(r) => r.rewardId}
          initialSort={{ key: 'points', direction: 'descending' }}
          testId="open-vouchers"
          minWidth={560}
        />
      </section>
      <section aria-labelledby="owed-title">
        <Title order={2} size="h3" id="owed-title" mb="sm">
          {t('staffLiability.owed.title')}
        </Title>
        <DataTable
          caption={t('staffLiability.owed.caption')}
          columns={owedColumns}
          rows={l.owedToPartners}
          rowKey={(r) => r.partnerId}
          initialSort={{ key: 'cents', direction: 'descending' }}
          testId="owed-partners"
          minWidth={560}
        />
      </section>
    </Stack>
  );
}
