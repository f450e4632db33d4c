import { Alert, Anchor, Button, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError } from '../../api/client';
import { useApiResource } from '../../api/useApiResource';
import { formatCount, formatDate, pluralForm } from '../../i18n/format';
import { useLocale } from '../../i18n/useLocale';
import classes from '../../map/map.module.css';
import type { LatLon } from '../../map/mapTypes';
import { followReport, NEARBY_RADIUS, type NearbyReport, nearbyPath } from './reportsApi';

/**
 * Open reports of the same kind near the chosen place: "Is it one of these?" with "Me too",
 * which follows that report instead of filing the same problem twice.
 */
export function NearbyReports({
  point,
  category,
  signedIn,
}: {
  point: LatLon;
  category: string;
  signedIn: boolean;
}) {
  const { t } = useTranslation();
  const nearby = useApiResource<{ items: NearbyReport[] }>(
    nearbyPath(point.lat, point.lon, category),
    { cache: false },
  );
  const items = nearby.status === 'ready' ? nearby.data.items : [];
  if (items.length === 0) return null;
  return (
    <section aria-labelledby="nearby-title" data-testid="nearby-reports">
      <Alert color="notice" variant="light">
        <Title order={2} size="h4" id="nearby-title">
          {t('reports.nearby.title', { meters: NEARBY_RADIUS })}
        </Title>
        <Text mt={4}>{t('reports.nearby.intro')}</Text>
        <Stack component="ul" gap="sm" mt="sm" className={classes.list}>
          {items.map((item) => (
            <NearbyItem key={item.id} item={item} signedIn={signedIn} />
          ))}
        </Stack>
      </Alert>
    </section>
  );
}

function NearbyItem({ item, signedIn }: { item: NearbyReport; signedIn: boolean }) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const [state, setState] = useState<'idle' | 'busy' | 'following' | 'closed' | 'failed'>('idle');
  const [followers, setFollowers] = useState(item.followers);
  const name = item.category.names[locale] || item.category.code;
  const meToo = async () => {
    setState('busy');
    try {
      const result = await followReport(item.id);
      setFollowers(result.followers);
      setState('following');
    } catch (error) {
      setState(error instanceof ApiError && error.code === 'report_closed' ? 'closed' : 'failed');
    }
  };
  return (
    <li className={classes.item} data-nearby={item.id}>
      <Stack gap={4}>
        <Text fw={700}>
          <Anchor component={Link} to={`/reports/${item.id}`}>
            {name}
          </Anchor>
          {' · '}
          {t('reports.nearby.distance', { meters: formatCount(item.distanceMeters, locale) })}
        </Text>
        {item.description && <Text lineClamp={3}>{item.description}</Text>}
        <Text size="sm" className={classes.muted}>
          {t(`map.status.${item.subStatus}`)} ·{' '}
          {t('map.since', { date: formatDate(item.createdAt, locale) })}
          {' · '}
          {t(`reports.nearby.followers.${pluralForm(followers, locale)}`, { count: followers })}
        </Text>
        {state === 'following' ? (
          <Text role="status" className={classes.kindTask}>
            {t('reports.nearby.following')}
          </Text>
        ) : signedIn ? (
          <Button
            size="md"
            variant="filled"
            className={classes.wrap}
            loading={state === 'busy'}
            onClick={() => void meToo()}
            aria-label={t('reports.nearby.meTooNamed', { name })}
          >
            {t('reports.nearby.meToo')}
          </Button>
        ) : (
          <Text size="sm">{t('reports.nearby.signInToFollow')}</Text>
        )}
        {(state === 'closed' || state === 'failed') && (
          <Text role="alert" c="red.9">
            {state === 'closed' ? t('reports.nearby.closed') : t('reports.nearby.failed')}
          </Text>
        )}
      </Stack>
    </li>
  );
}
