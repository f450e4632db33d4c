import { Anchor, Badge, Button, Group, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { formatDate } from '../../i18n/format';
import { useLocale } from '../../i18n/useLocale';
import classes from '../../map/map.module.css';
import { SignedInOnly } from '../resident/SignedInOnly';
import { ReportUpdates } from './ReportUpdates';
import { type PublicReport, useMyReports } from './reportsApi';

/** "My reports" (`/resident/reports`): what I reported and what I follow, with their updates. */
export function MyReportsPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('reports.mine.title'));
  return (
    <SignedInOnly loadingLabel={t('reports.mine.loading')}>{() => <MyReports />}</SignedInOnly>
  );
}

function MyReports() {
  const { t } = useTranslation();
  const mine = useMyReports();
  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end">
        <Title order={1}>{t('reports.mine.title')}</Title>
        <Button component={Link} to="/report" size="md">
          {t('reports.form.title')}
        </Button>
      </Group>
      {mine.status === 'loading' && <LoadingState label={t('reports.mine.loading')} />}
      {mine.status === 'error' && <ErrorState error={mine.error} onRetry={mine.retry} />}
      {mine.status === 'ready' && (
        <>
          <ReportSection
            id="reported"
            title={t('reports.mine.reported')}
            empty={t('reports.mine.noneReported')}
            reports={mine.data.reported}
          />
          <ReportSection
            id="followed"
            title={t('reports.mine.followed')}
            empty={t('reports.mine.noneFollowed')}
            reports={mine.data.followed}
          />
        </>
      )}
    </Stack>
  );
}

function ReportSection({
  id,
  title,
  empty,
  reports,
}: {
  id: string;
  title: string;
  empty: string;
  reports: PublicReport[];
}) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  return (
    <section aria-labelledby={`${id}-title`}>
      <Title order={2} size="h3" id={`${id}-title`} mb="sm">
        {title}
      </Title>
      {reports.length === 0 && <Text>{empty}</Text>}
      <ul className={classes.list} data-testid={`${id}-reports`}>
        {reports.map((r) => (
          <li key={r.id} className={classes.item} data-report={r.id}>
            <Stack gap={6}>
              <Group gap="sm" justify="space-between">
                <Text fw={700} component="h3" size="md">
                  <Anchor component={Link} to={`/reports/${r.id}`}>
                    {r.category.names[locale] || r.category.code}
                  </Anchor>
                </Text>
                <Badge variant="light" color={r.status === 'closed' ? 'gray' : 'civic'}>
                  {t(`map.status.${r.subStatus}`)}
                </Badge>
              </Group>
              <Text size="sm" className={classes.muted}>
                {t('map.since', { date: formatDate(r.createdAt, locale) })}
                {r.address ? ` · ${r.address}` : ''}
              </Text>
              {r.description && <Text lineClamp={2}>{r.description}</Text>}
              <ReportUpdates updates={r.updates} />
            </Stack>
          </li>
        ))}
      </ul>
    </section>
  );
}
