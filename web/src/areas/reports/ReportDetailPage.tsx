import { Badge, Button, Container, Group, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { ApiError } from '../../api/client';
import { useSession } from '../../api/session';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { formatDate, pluralForm } from '../../i18n/format';
import { useLocale } from '../../i18n/useLocale';
import { LeafletMap } from '../../map/LeafletMap';
import classes from '../../map/map.module.css';
import { boxAround } from '../../map/mapTypes';
import { useFreshResource } from '../staff/useList';
import { ReportUpdates } from './ReportUpdates';
import { followReport, reportPhotoUrl, unfollowReport, useReport } from './reportsApi';

/** One report as anyone sees it (`/reports/:id`): where, what, its status and updates. */
export function ReportDetailPage() {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const { id = '' } = useParams();
  const report = useReport(id);
  const session = useSession();
  const signedIn = session.state.status === 'signedIn';
  const [followingNow, setFollowing] = useState<boolean | null>(null);
  // Whether this resident follows it already (their reports list says so).
  const mine = useFreshResource<{ followed: { id: string }[] }>(
    signedIn ? '/api/me/reports' : null,
  );
  const following =
    followingNow ?? (mine.status === 'ready' && mine.data.followed.some((r) => r.id === id));
  const [failed, setFailed] = useState(false);
  const name = report.status === 'ready' ? report.data.category.names[locale] : null;
  useDocumentTitle(name ?? t('reports.detail.title'));

  if (report.status === 'loading') return <LoadingState label={t('reports.detail.loading')} />;
  if (report.status === 'error') {
    return (
      <Container size="md" py="xl">
        <ErrorState error={report.error} onRetry={report.retry} headingLevel={1} />
      </Container>
    );
  }
  const r = report.data;
  const follow = async (on: boolean) => {
    setFailed(false);
    try {
      if (on) await followReport(r.id);
      else await unfollowReport(r.id);
      setFollowing(on);
    } catch (error) {
      setFailed(!(error instanceof ApiError && error.status === 404));
    }
  };
  return (
    <Container size="lg" py="xl">
      <Stack gap="lg">
        <div>
          <Text className={classes.kindReport}>{t('map.kind.report')}</Text>
          <Title order={1}>{name}</Title>
          <Group gap="sm" mt="xs">
            <Badge size="lg" variant="light" color={r.status === 'closed' ? 'gray' : 'civic'}>
              {t(`map.status.${r.subStatus}`)}
            </Badge>
            <Text className={classes.muted}>
              {t('map.since', { date: formatDate(r.createdAt, locale) })} ·{' '}
              {t(`reports.nearby.followers.${pluralForm(r.followers, locale)}`, {
                count: r.followers,
              })}
            </Text>
          </Group>
        </div>
        <div className={classes.layout}>
          <LeafletMap
            label={t('reports.detail.map')}
            picked={{ lat: r.latitude, lon: r.longitude }}
            fit={boxAround(r.latitude, r.longitude, 200)}
          />
          <Stack gap="sm">
            {r.address && <Text fw={600}>{r.address}</Text>}
            <Text data-testid="report-description">
              {r.description ?? t('reports.detail.hidden')}
            </Text>
            {r.photos.map((photoId) => (
              <img
                key={photoId}
                src={reportPhotoUrl(r.id, photoId)}
                alt={t('reports.detail.photo')}
                className={classes.photo}
              />
            ))}
            {signedIn && r.status === 'open' && (
              <Button
                size="md"
                variant={following ? 'default' : 'filled'}
                className={classes.wrap}
                onClick={() => void follow(!following)}
              >
                {following ? t('reports.detail.unfollow') : t('reports.nearby.meToo')}
              </Button>
            )}
            {following && (
              <Text role="status" className={classes.kindTask}>
                {t('reports.nearby.following')}
              </Text>
            )}
            {failed && (
              <Text role="alert" c="red.9">
                {t('reports.nearby.failed')}
              </Text>
            )}
          </Stack>
        </div>
        <section aria-labelledby="updates-title">
          <Title order={2} size="h3" id="updates-title" mb="sm">
            {t('reports.detail.updates')}
          </Title>
          <ReportUpdates updates={r.updates} />
        </section>
      </Stack>
    </Container>
  );
}
