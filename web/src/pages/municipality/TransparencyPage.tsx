import {
  Anchor,
  Button,
  Container,
  Group,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { formatMonth, formatPercent } from '../../figures/format';
import { Stat } from '../../figures/Stat';
import {
  ActivityTable,
  ImpactSection,
  ParticipationChart,
  PointsChart,
} from '../../figures/sections';
import type { Figures } from '../../figures/types';
import { figuresJsonUrl, headline, openDataUrl, usePublicFigures } from '../../figures/useFigures';
import { formatCount } from '../../i18n/format';
import { useLocale } from '../../i18n/useLocale';
import classes from '../pages.module.css';

/**
 * `/municipalities/:slug/transparency`: the municipality's participation, points given and
 * spent, and impact, with charts (each with its table) and the open data to download. Totals
 * only: nobody can be recognised in them.
 */
export function TransparencyPage() {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const { slug = '' } = useParams();
  const resource = usePublicFigures(slug);
  const figures = resource.status === 'ready' ? resource.data : null;
  const name = figures?.municipality.names[locale];
  useDocumentTitle(
    name
      ? t('figures.public.title', { name })
      : resource.status === 'error'
        ? t('error.notFoundTitle')
        : t('figures.loading'),
  );
  return (
    <Container size="lg" py="xl">
      <nav aria-label={t('breadcrumb.label')} className={classes.breadcrumb}>
        <ol>
          <li>
            <Anchor component={Link} to="/">
              {t('municipality.allMunicipalities')}
            </Anchor>
          </li>
          {name && (
            <>
              <li>
                <Anchor component={Link} to={`/municipalities/${slug}`}>
                  {name}
                </Anchor>
              </li>
              <li aria-current="page">
                <Text component="span">{t('figures.public.crumb')}</Text>
              </li>
            </>
          )}
        </ol>
      </nav>
      {resource.status === 'loading' && <LoadingState label={t('figures.loading')} />}
      {resource.status === 'error' && (
        <ErrorState
          error={resource.error}
          onRetry={resource.retry}
          withBackToList
          headingLevel={1}
        />
      )}
      {figures && name && <PublicFigures figures={figures} name={name} slug={slug} />}
    </Container>
  );
}

function PublicFigures({ figures, name, slug }: { figures: Figures; name: string; slug: string }) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const { thisMonth, year } = headline(figures);
  const registered = figures.registeredHouseholds;
  const of = (households: number) =>
    registered > 0
      ? t('figures.householdsOf', {
          households: formatCount(households, locale),
          registered: formatCount(registered, locale),
        })
      : t('figures.noRegisteredHouseholds');
  const range = {
    from: formatMonth(figures.from, locale, 'long'),
    to: formatMonth(figures.to, locale, 'long'),
  };
  return (
    <Stack gap="xl" mt="xs">
      <div>
        <Title order={1}>{t('figures.public.title', { name })}</Title>
        <Text size="lg" mt="xs" maw="48rem">
          {t('figures.public.intro', { name })}
        </Text>
      </div>
      <section aria-labelledby="public-glance">
        <Title order={2} size="h3" id="public-glance" mb="sm">
          {t('figures.public.glance')}
        </Title>
        <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="md">
          <Stat
            testId="public-rate-month"
            label={t('figures.dashboard.rateMonth', {
              month: thisMonth ? formatMonth(thisMonth.month, locale, 'long') : '',
            })}
            value={formatPercent(thisMonth?.rate ?? null, locale)}
            note={of(thisMonth?.households ?? 0)}
          />
          <Stat
            testId="public-rate-year"
            label={t('figures.dashboard.rateYear', { year: year?.year ?? '' })}
            value={formatPercent(year?.rate ?? null, locale)}
            note={of(year?.households ?? 0)}
          />
          <Stat
            testId="public-points-issued"
            label={t('figures.public.pointsIssued')}
            value={formatCount(figures.points.issued, locale)}
            note={t('figures.public.pointsIssuedNote')}
          />
          <Stat
            testId="public-points-spent"
            label={t('figures.public.pointsSpent')}
            value={formatCount(figures.points.spent, locale)}
            note={t('figures.public.pointsSpentNote', {
              outstanding: formatCount(figures.points.outstanding, locale),
            })}
          />
        </SimpleGrid>
      </section>
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
        <ParticipationChart months={figures.months} registered={registered} />
        <PointsChart months={figures.months} />
      </SimpleGrid>
      <ImpactSection impact={figures.impact} />
      <section aria-labelledby="public-activities">
        <Title order={2} size="h3" id="public-activities" mb="sm">
          {t('figures.activities.title')}
        </Title>
        <ActivityTable
          activities={figures.byActivity}
          caption={t('figures.activities.caption', range)}
        />
      </section>
      <Paper withBorder radius="md" p="md" component="section" aria-labelledby="open-data">
        <Stack gap="sm" align="flex-start">
          <Title order={2} size="h3" id="open-data">
            {t('figures.public.openData')}
          </Title>
          <Text>{t('figures.public.openDataText', range)}</Text>
          <Group>
            <Button
              component="a"
              href={openDataUrl(slug)}
              download={`figures-${slug}.csv`}
              mih="2.75rem"
              data-testid="open-data-csv"
            >
              {t('figures.public.downloadCsv')}
            </Button>
            <Anchor href={figuresJsonUrl(slug)} underline="always">
              {t('figures.public.json')}
            </Anchor>
          </Group>
          <Text size="sm" c="gray.8">
            {t('figures.public.privacy')}
          </Text>
        </Stack>
      </Paper>
    </Stack>
  );
}
