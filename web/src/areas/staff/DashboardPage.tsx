import { Anchor, Button, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Municipality } from '../../api/types';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import { FiguresTable } from '../../figures/FiguresTable';
import { formatChange, formatMonth, formatPercent } from '../../figures/format';
import { Stat } from '../../figures/Stat';
import {
  ActivityTable,
  ImpactSection,
  ParticipationChart,
  PointsChart,
} from '../../figures/sections';
import type { Figures, PeriodFigures } from '../../figures/types';
import { headline } from '../../figures/useFigures';
import { formatCount, formatEuroCents } from '../../i18n/format';
import { useLocale } from '../../i18n/useLocale';
import { StaffGate } from './StaffGate';
import { municipalityPath } from './staffContext';
import { useFreshResource } from './useList';

/**
 * `/staff/dashboard`: how many households take part (this month, this year, against the
 * registered households), what the outstanding points cost, what changed since last month; the
 * months as charts with their tables, points and budgets per activity, impact, the CSV.
 */
export function DashboardPage() {
  const { t } = useTranslation();
  return (
    <StaffGate title={t('figures.dashboard.title')} permission="participation.read">
      {(municipality) => <Dashboard municipality={municipality} />}
    </StaffGate>
  );
}

function Dashboard({ municipality }: { municipality: Municipality }) {
  const { t } = useTranslation();
  const resource = useFreshResource<Figures>(`${municipalityPath(municipality)}/participation`);
  if (resource.status === 'loading') return <LoadingState label={t('figures.loading')} />;
  if (resource.status === 'error') {
    return <ErrorState error={resource.error} onRetry={resource.reload} />;
  }
  return <DashboardFigures figures={resource.data} municipality={municipality} />;
}

function DashboardFigures({
  figures,
  municipality,
}: {
  figures: Figures;
  municipality: Municipality;
}) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const { thisMonth, lastMonth, year } = headline(figures);
  const registered = figures.registeredHouseholds;
  const against = (period: PeriodFigures | null) =>
    registered > 0
      ? t('figures.householdsOf', {
          households: formatCount(period?.households ?? 0, locale),
          registered: formatCount(registered, locale),
        })
      : t('figures.noRegisteredHouseholds');
  const csv = `${municipalityPath(municipality)}/participation.csv`;
  return (
    <Stack gap="xl">
      <Text size="lg">
        {t('figures.dashboard.intro', {
          municipality: municipality.names[locale],
          from: formatMonth(figures.from, locale, 'long'),
          to: formatMonth(figures.to, locale, 'long'),
        })}
      </Text>
      <section aria-labelledby="headline-title">
        <Title order={2} size="h3" id="headline-title" mb="sm">
          {t('figures.dashboard.glance')}
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="md">
          <Stat
            testId="rate-month"
            label={t('figures.dashboard.rateMonth', {
              month: thisMonth ? formatMonth(thisMonth.month, locale, 'long') : '',
            })}
            value={formatPercent(thisMonth?.rate ?? null, locale)}
            note={against(thisMonth)}
          />
          <Stat
            testId="rate-year"
            label={t('figures.dashboard.rateYear', { year: year?.year ?? '' })}
            value={formatPercent(year?.rate ?? null, locale)}
            note={against(year)}
          />
          <Stat
            testId="liability"
            label={t('figures.dashboard.liability')}
            value={formatEuroCents(figures.liability.cents, locale)}
            note={t('figures.dashboard.liabilityNote', {
              points: formatCount(figures.liability.points, locale),
              value: formatEuroCents(figures.pointValueCents, locale),
            })}
          />
          <Stat
            testId="points-month"
            label={t('figures.dashboard.pointsMonth')}
            value={formatCount(thisMonth?.pointsIssued ?? 0, locale)}
            note={t('figures.dashboard.pointsLastMonth', {
              points: formatCount(lastMonth?.pointsIssued ?? 0, locale),
            })}
          />
        </SimpleGrid>
        <Text size="sm" mt="sm" c="gray.8">
          {t('figures.dashboard.measuredAgainst', { registered: formatCount(registered, locale) })}
        </Text>
      </section>
      <ChangeTable thisMonth={thisMonth} lastMonth={lastMonth} />
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
        <ParticipationChart months={figures.months} registered={registered} />
        <PointsChart months={figures.months} />
      </SimpleGrid>
      <section aria-labelledby="activities-title">
        <Title order={2} size="h3" id="activities-title" mb="sm">
          {t('figures.activities.title')}
        </Title>
        <ActivityTable
          activities={figures.byActivity}
          caption={t('figures.activities.caption', {
            from: formatMonth(figures.from, locale, 'long'),
            to: formatMonth(figures.to, locale, 'long'),
          })}
        />
      </section>
      <ImpactSection impact={figures.impact} />
      <Group>
        <Button
          component="a"
          href={csv}
          download={`participation-${municipality.slug}.csv`}
          variant="default"
          mih="2.75rem"
          data-testid="participation-csv"
        >
          {t('figures.dashboard.download')}
        </Button>
        <Anchor href={`/municipalities/${municipality.slug}/transparency`} underline="always">
          {t('figures.dashboard.publicPage')}
        </Anchor>
      </Group>
    </Stack>
  );
}

type ChangeKey = 'households' | 'activeResidents' | 'pointsIssued' | 'claims';

/** This month next to last month, figure by figure. */
function ChangeTable({
  thisMonth,
  lastMonth,
}: {
  thisMonth: PeriodFigures | null;
  lastMonth: PeriodFigures | null;
}) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const rows: { key: ChangeKey; label: string }[] = [
    { key: 'households', label: t('figures.participation.households') },
    { key: 'activeResidents', label: t('figures.participation.activeResidents') },
    { key: 'pointsIssued', label: t('figures.points.issued') },
    { key: 'claims', label: t('figures.points.claims') },
  ];
  return (
    <section aria-labelledby="change-title">
      <Title order={2} size="h3" id="change-title" mb="sm">
        {t('figures.dashboard.changeTitle')}
      </Title>
      <FiguresTable
        caption={t('figures.dashboard.changeCaption')}
        testId="change-table"
        columns={[
          { key: 'figure', label: t('figures.figure'), render: (r) => r.label },
          {
            key: 'last',
            label: t('figures.dashboard.lastMonth'),
            numeric: true,
            render: (r) => formatCount(lastMonth?.[r.key] ?? 0, locale),
          },
          {
            key: 'this',
            label: t('figures.dashboard.thisMonth'),
            numeric: true,
            render: (r) => formatCount(thisMonth?.[r.key] ?? 0, locale),
          },
          {
            key: 'change',
            label: t('figures.dashboard.change'),
            numeric: true,
            render: (r) =>
              formatChange((thisMonth?.[r.key] ?? 0) - (lastMonth?.[r.key] ?? 0), locale),
          },
        ]}
        rows={rows}
        rowKey={(r) => r.key}
      />
    </section>
  );
}
