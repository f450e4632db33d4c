import { Button, Group, Paper, SimpleGrid, Stack, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Municipality } from '../../api/types';
import { formatMonth, formatPercent } from '../../figures/format';
import { Stat } from '../../figures/Stat';
import type { Figures } from '../../figures/types';
import { headline } from '../../figures/useFigures';
import { formatCount, formatEuroCents } from '../../i18n/format';
import { useLocale } from '../../i18n/useLocale';
import classes from './staff.module.css';
import { municipalityPath } from './staffContext';
import { useFreshResource } from './useList';

/** The dashboard's headline on the staff home: participation this month and year, the cost. */
export function ParticipationSummary({ municipality }: { municipality: Municipality }) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const resource = useFreshResource<Figures>(`${municipalityPath(municipality)}/participation`);
  const figures = resource.status === 'ready' ? resource.data : null;
  const { thisMonth, year } = figures ? headline(figures) : { thisMonth: null, year: null };
  const of = (households: number) =>
    t('figures.householdsOf', {
      households: formatCount(households, locale),
      registered: formatCount(figures?.registeredHouseholds ?? 0, locale),
    });
  return (
    <Paper
      withBorder
      radius="md"
      p="md"
      component="section"
      aria-labelledby="summary-title"
      data-testid="participation-summary"
    >
      <Stack gap="sm">
        <Title order={2} size="h3" id="summary-title">
          {t('figures.dashboard.glance')}
        </Title>
        {figures && (
          <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
            <Stat
              label={t('figures.dashboard.rateMonth', {
                month: thisMonth ? formatMonth(thisMonth.month, locale, 'long') : '',
              })}
              value={formatPercent(thisMonth?.rate ?? null, locale)}
              note={of(thisMonth?.households ?? 0)}
            />
            <Stat
              label={t('figures.dashboard.rateYear', { year: year?.year ?? '' })}
              value={formatPercent(year?.rate ?? null, locale)}
              note={of(year?.households ?? 0)}
            />
            <Stat
              label={t('figures.dashboard.liability')}
              value={formatEuroCents(figures.liability.cents, locale)}
            />
          </SimpleGrid>
        )}
        <Group>
          <Button component={Link} to="/staff/dashboard" className={classes.touch}>
            {t('figures.dashboard.open')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
