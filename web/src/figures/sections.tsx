import { BarChart, LineChart } from '@mantine/charts';
import { Paper, Progress, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatCount } from '../i18n/format';
import { useLocale } from '../i18n/useLocale';
import { ChartFigure } from './ChartFigure';
import { FiguresTable } from './FiguresTable';
import classes from './figures.module.css';
import { formatMonth, formatPercent, formatQuantity } from './format';
import { impactLabel, unitLabel } from './labels';
import { Stat } from './Stat';
import type { ActivityFigures, FigureUnit, ImpactFigures, MonthFigures } from './types';

/** The sections the staff dashboard and the transparency page share: charts and their tables. */

const CHART_HEIGHT = 240;
const COLORS = ['civic.7', 'blue.7', 'grape.7', 'orange.8', 'teal.9', 'pink.7', 'indigo.7'];

/** Households taking part per month, as a share of the registered households. */
export function ParticipationChart({
  months,
  registered,
  headingLevel,
}: {
  months: MonthFigures[];
  registered: number;
  headingLevel?: 2 | 3;
}) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const data = months.map((m) => ({
    month: formatMonth(m.month, locale),
    rate: m.rate === null ? null : m.rate * 100,
  }));
  const best = months.reduce<MonthFigures | null>(
    (top, m) => (m.households > (top?.households ?? 0) ? m : top),
    null,
  );
  return (
    <ChartFigure
      id="participation-chart"
      headingLevel={headingLevel}
      title={t('figures.participation.chartTitle')}
      summary={
        best
          ? t('figures.participation.chartSummary', {
              month: formatMonth(best.month, locale, 'long'),
              rate: formatPercent(best.rate, locale),
              households: formatCount(best.households, locale),
              registered: formatCount(registered, locale),
            })
          : t('figures.participation.chartNone')
      }
      chart={
        <LineChart
          h={CHART_HEIGHT}
          data={data}
          dataKey="month"
          series={[{ name: 'rate', label: t('figures.participation.rate'), color: 'civic.7' }]}
          curveType="linear"
          connectNulls={false}
          valueFormatter={(value) => formatPercent(value / 100, locale)}
          yAxisProps={{ domain: [0, 'auto'], width: 56 }}
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
          key: 'households',
          label: t('figures.participation.households'),
          numeric: true,
          render: (m) => formatCount(m.households, locale),
        },
        {
          key: 'rate',
          label: t('figures.participation.rate'),
          numeric: true,
          render: (m) => formatPercent(m.rate, locale),
        },
        {
          key: 'residents',
          label: t('figures.participation.activeResidents'),
          numeric: true,
          render: (m) => formatCount(m.activeResidents, locale),
        },
      ]}
      rows={months}
      rowKey={(m) => m.month}
    />
  );
}

/** Points given per month. */
export function PointsChart({
  months,
  headingLevel,
}: {
  months: MonthFigures[];
  headingLevel?: 2 | 3;
}) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const total = months.reduce((sum, m) => sum + m.pointsIssued, 0);
  return (
    <ChartFigure
      id="points-chart"
      headingLevel={headingLevel}
      title={t('figures.points.chartTitle')}
      summary={t('figures.points.chartSummary', {
        points: formatCount(total, locale),
        from: formatMonth(months[0]?.month ?? '', locale, 'long'),
        to: formatMonth(months.at(-1)?.month ?? '', locale, 'long'),
      })}
      chart={
        <BarChart
          h={CHART_HEIGHT}
          data={months.map((m) => ({
            month: formatMonth(m.month, locale),
            points: m.pointsIssued,
          }))}
          dataKey="month"
          series={[{ name: 'points', label: t('figures.points.issued'), color: 'civic.7' }]}
          valueFormatter={(value) => formatCount(value, locale)}
          yAxisProps={{ width: 56 }}
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
          label: t('figures.points.issued'),
          numeric: true,
          render: (m) => formatCount(m.pointsIssued, locale),
        },
        {
          key: 'claims',
          label: t('figures.points.claims'),
          numeric: true,
          render: (m) => formatCount(m.claims, locale),
        },
      ]}
      rows={months}
      rowKey={(m) => m.month}
    />
  );
}

/** What the actions achieved (kg per waste stream, volunteer hours): totals, and per month. */
export function ImpactSection({
  impact,
  headingLevel = 2,
}: {
  impact: ImpactFigures[];
  headingLevel?: 2 | 3;
}) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const units = [...new Set(impact.map((i) => i.unit))];
  return (
    <Stack gap="md" component="section" aria-labelledby="impact-title">
      <Title order={headingLevel} size="h3" id="impact-title">
        {t('figures.impact.title')}
      </Title>
      {impact.length === 0 ? (
        <Text>{t('figures.impact.none')}</Text>
      ) : (
        <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="sm" data-testid="impact-totals">
          {impact.map((i) => (
            <Stat
              key={`${i.key}-${i.unit}`}
              label={impactLabel(i.key, t)}
              value={formatQuantity(i.quantity, i.unit, locale)}
            />
          ))}
        </SimpleGrid>
      )}
      {units.map((unit) => (
        <ImpactChart
          key={unit}
          unit={unit}
          impact={impact.filter((i) => i.unit === unit)}
          headingLevel={3}
        />
      ))}
    </Stack>
  );
}

function ImpactChart({
  unit,
  impact,
  headingLevel,
}: {
  unit: FigureUnit;
  impact: ImpactFigures[];
  headingLevel: 2 | 3;
}) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const months = impact[0]?.months.map((m) => m.month) ?? [];
  const rows = months.map((month, index) => ({
    month,
    values: impact.map((i) => i.months[index]?.quantity ?? 0),
  }));
  const series = impact.map((i, index) => ({
    name: `s${index}`,
    label: impactLabel(i.key, t),
    color: COLORS[index % COLORS.length]!,
  }));
  return (
    <ChartFigure
      id={`impact-chart-${unit}`}
      headingLevel={headingLevel}
      title={t('figures.impact.chartTitle', { unit: unitLabel(unit, t) })}
      chart={
        <BarChart
          h={CHART_HEIGHT}
          type="stacked"
          withLegend={impact.length > 1}
          data={rows.map((row) => ({
            month: formatMonth(row.month, locale),
            ...Object.fromEntries(row.values.map((v, index) => [`s${index}`, v])),
          }))}
          dataKey="month"
          series={series}
          valueFormatter={(value) => formatQuantity(value, unit, locale, 'short')}
          yAxisProps={{ width: 56 }}
          accessibilityLayer={false}
        />
      }
      columns={[
        {
          key: 'month',
          label: t('figures.month'),
          render: (r) => formatMonth(r.month, locale, 'long'),
        },
        ...impact.map((i, index) => ({
          key: `${i.key}`,
          label: impactLabel(i.key, t),
          numeric: true,
          render: (r: (typeof rows)[number]) => formatQuantity(r.values[index] ?? 0, unit, locale),
        })),
      ]}
      rows={rows}
      rowKey={(r) => r.month}
    />
  );
}

/** Points and claims per activity, with each budget's use this period as a bar. */
export function ActivityTable({
  activities,
  caption,
}: {
  activities: ActivityFigures[];
  caption: string;
}) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  return (
    <Paper withBorder radius="md" p="md">
      <FiguresTable
        caption={caption}
        testId="activity-figures"
        columns={[
          { key: 'name', label: t('figures.activities.name'), render: (a) => a.names[locale] },
          {
            key: 'points',
            label: t('figures.points.issued'),
            numeric: true,
            render: (a) => formatCount(a.pointsIssued, locale),
          },
          {
            key: 'claims',
            label: t('figures.points.claims'),
            numeric: true,
            render: (a) => formatCount(a.claims, locale),
          },
          {
            key: 'quantity',
            label: t('figures.activities.quantity'),
            numeric: true,
            render: (a) => (a.unit === 'item' ? '–' : formatQuantity(a.quantity, a.unit, locale)),
          },
          {
            key: 'budget',
            label: t('figures.activities.budget'),
            render: (a) => <BudgetBar activity={a} />,
          },
        ]}
        rows={activities}
        rowKey={(a) => a.code}
      />
    </Paper>
  );
}

function BudgetBar({ activity }: { activity: ActivityFigures }) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const { budget } = activity;
  if (!budget) return <Text size="sm">{t('figures.activities.noBudget')}</Text>;
  const share = budget.points > 0 ? Math.min(100, (budget.used / budget.points) * 100) : 0;
  const text = t(`figures.activities.budgetUse.${budget.period}`, {
    used: formatCount(budget.used, locale),
    points: formatCount(budget.points, locale),
    left: formatCount(budget.left, locale),
  });
  return (
    <div className={classes.budget}>
      <Progress
        value={share}
        color={share >= 90 ? 'red.8' : 'civic.7'}
        size="md"
        aria-hidden="true"
      />
      <Text size="sm" mt={4}>
        {text}
      </Text>
    </div>
  );
}
