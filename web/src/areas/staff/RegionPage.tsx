import { BarChart, LineChart } from '@mantine/charts';
import { Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import { ChartFigure } from '../../figures/ChartFigure';
import figureClasses from '../../figures/figures.module.css';
import { formatMonth, formatPercent } from '../../figures/format';
import type { RegionComparison } from '../../figures/types';
import { formatCount, formatEuroCents } from '../../i18n/format';
import { useLocale } from '../../i18n/useLocale';
import { type Column, DataTable } from './DataTable';
import { StaffGate } from './StaffGate';
import { useFreshResource } from './useList';

type Item = RegionComparison['items'][number];

const COLORS = ['civic.7', 'blue.7', 'grape.7', 'orange.8', 'teal.9', 'pink.7', 'indigo.7'];

/** `/staff/region`: every municipality side by side this month and this year (operators). */
export function RegionPage() {
  const { t } = useTranslation();
  return (
    <StaffGate title={t('figures.region.title')} permission="region.manage">
      {() => <Region />}
    </StaffGate>
  );
}

function Region() {
  const { t } = useTranslation();
  const resource = useFreshResource<RegionComparison>('/api/region/participation');
  if (resource.status === 'loading') return <LoadingState label={t('figures.loading')} />;
  if (resource.status === 'error') {
    return <ErrorState error={resource.error} onRetry={resource.reload} />;
  }
  return <RegionFigures comparison={resource.data} />;
}

function RegionFigures({ comparison }: { comparison: RegionComparison }) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const month = formatMonth(comparison.month, locale, 'long');
  const items = [...comparison.items].sort((a, b) =>
    a.names[locale].localeCompare(b.names[locale]),
  );
  const columns: Column<Item>[] = [
    {
      key: 'name',
      label: t('figures.region.municipality'),
      render: (m) => m.names[locale],
      sortValue: (m) => m.names[locale],
    },
    {
      key: 'registered',
      label: t('figures.region.registered'),
      numeric: true,
      render: (m) => formatCount(m.registeredHouseholds, locale),
      sortValue: (m) => m.registeredHouseholds,
    },
    {
      key: 'households',
      label: t('figures.region.householdsMonth'),
      numeric: true,
      render: (m) => formatCount(m.month.households, locale),
      sortValue: (m) => m.month.households,
    },
    {
      key: 'rateMonth',
      label: t('figures.region.rateMonth'),
      numeric: true,
      render: (m) => formatPercent(m.month.rate, locale),
      sortValue: (m) => m.month.rate ?? -1,
    },
    {
      key: 'rateYear',
      label: t('figures.region.rateYear', { year: comparison.year }),
      numeric: true,
      render: (m) => formatPercent(m.year.rate, locale),
      sortValue: (m) => m.year.rate ?? -1,
    },
    {
      key: 'points',
      label: t('figures.region.pointsMonth'),
      numeric: true,
      render: (m) => formatCount(m.month.pointsIssued, locale),
      sortValue: (m) => m.month.pointsIssued,
    },
    {
      key: 'liability',
      label: t('figures.dashboard.liability'),
      numeric: true,
      render: (m) => formatEuroCents(m.liability.cents, locale),
      sortValue: (m) => m.liability.cents,
    },
  ];
  const series = items.map((m, index) => ({
    name: m.slug,
    label: m.names[locale],
    color: COLORS[index % COLORS.length]!,
  }));
  const trendRows = comparison.months.map((key, index) => ({
    month: key,
    rates: items.map((m) => m.trend[index]?.rate ?? null),
  }));
  return (
    <Stack gap="xl">
      <Text size="lg">{t('figures.region.intro', { month })}</Text>
      <div className={figureClasses.wrapHeadings}>
        <DataTable
          caption={t('figures.region.caption', { month })}
          columns={columns}
          rows={items}
          rowKey={(m) => m.slug}
          testId="region-table"
          minWidth={760}
        />
      </div>
      <ChartFigure
        id="region-rates"
        title={t('figures.region.ratesTitle', { month, year: comparison.year })}
        chart={
          <BarChart
            h={260}
            data={items.map((m) => ({
              name: m.names[locale],
              month: m.month.rate === null ? null : m.month.rate * 100,
              year: m.year.rate === null ? null : m.year.rate * 100,
            }))}
            dataKey="name"
            withLegend
            series={[
              { name: 'month', label: month, color: 'civic.7' },
              { name: 'year', label: String(comparison.year), color: 'blue.7' },
            ]}
            valueFormatter={(value) => formatPercent(value / 100, locale)}
            yAxisProps={{ width: 56 }}
            accessibilityLayer={false}
          />
        }
        columns={[
          {
            key: 'name',
            label: t('figures.region.municipality'),
            render: (m: Item) => m.names[locale],
          },
          {
            key: 'month',
            label: t('figures.region.rateMonth'),
            numeric: true,
            render: (m: Item) => formatPercent(m.month.rate, locale),
          },
          {
            key: 'year',
            label: t('figures.region.rateYear', { year: comparison.year }),
            numeric: true,
            render: (m: Item) => formatPercent(m.year.rate, locale),
          },
        ]}
        rows={items}
        rowKey={(m) => m.slug}
      />
      <ChartFigure
        id="region-trend"
        title={t('figures.region.trendTitle')}
        chart={
          <LineChart
            h={260}
            data={trendRows.map((row) => ({
              month: formatMonth(row.month, locale),
              ...Object.fromEntries(
                items.map((m, index) => {
                  const rate = row.rates[index];
                  return [m.slug, rate === null || rate === undefined ? null : rate * 100];
                }),
              ),
            }))}
            dataKey="month"
            withLegend
            series={series}
            curveType="linear"
            valueFormatter={(value) => formatPercent(value / 100, locale)}
            yAxisProps={{ width: 56 }}
            accessibilityLayer={false}
          />
        }
        columns={[
          {
            key: 'month',
            label: t('figures.month'),
            render: (r: (typeof trendRows)[number]) => formatMonth(r.month, locale, 'long'),
          },
          ...items.map((m, index) => ({
            key: m.slug,
            label: m.names[locale],
            numeric: true,
            render: (r: (typeof trendRows)[number]) =>
              formatPercent(r.rates[index] ?? null, locale),
          })),
        ]}
        rows={trendRows}
        rowKey={(r) => r.month}
      />
    </Stack>
  );
}
