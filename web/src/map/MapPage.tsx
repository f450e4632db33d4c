import { Alert, Button, Checkbox, Container, Group, Stack, Text, Title } from '@mantine/core';
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { ErrorState } from '../components/ErrorState';
import { LoadingState } from '../components/LoadingState';
import { useDocumentTitle } from '../components/useDocumentTitle';
import { useLocale } from '../i18n/useLocale';
import { GoToMunicipality } from './GoToMunicipality';
import { isViewTooLarge, useFeeds } from './geoFeeds';
import { LeafletMap } from './LeafletMap';
import classes from './map.module.css';
import type { Bounds } from './mapTypes';
import { PlaceList, placeKey } from './PlaceList';
import { type PlaceKind, pinsOf, placeName } from './places';
import { useMunicipalityBounds } from './useMunicipalityBounds';
import { useMunicipalityChoice } from './useMunicipalityChoice';

const KINDS: PlaceKind[] = ['task', 'report'];

/**
 * The public map (`/map`): open tasks and reports in the part of the map shown, with the same
 * things listed beside it (below it on a phone). "Show" filters tasks and reports; "Go to" moves
 * the map to a municipality. Works without tiles: the pins and the list stay.
 */
export function MapPage() {
  const { t } = useTranslation();
  const { locale } = useLocale();
  useDocumentTitle(t('map.title'));
  const [search] = useSearchParams();
  const [shown, setShown] = useState<PlaceKind[]>(KINDS);
  const [view, setView] = useState<Bounds | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [tilesFailed, setTilesFailed] = useState(false);
  const [attempt, setAttempt] = useState(0);

  const { options: sorted, chosen } = useMunicipalityChoice(search.get('municipality'));
  const fit = useMunicipalityBounds(chosen);

  const feeds = useFeeds(shown, view, null, attempt);
  const places = feeds.status === 'idle' ? [] : feeds.places;
  const label = useCallback(
    (place: (typeof places)[number]) =>
      `${t(`map.kind.${place.kind}`)}: ${placeName(place, locale)}`,
    [t, locale],
  );
  const pins = useMemo(() => pinsOf(places, label), [places, label]);
  const selectedPlace = places.find((p) => placeKey(p) === selected) ?? null;

  return (
    <Container size="lg" py="xl">
      <Stack gap="lg">
        <div>
          <Title order={1}>{t('map.title')}</Title>
          <Text mt="xs" maw="44rem">
            {t('map.intro')}
          </Text>
          <Group gap="sm" mt="md">
            <Button component={Link} to="/report" size="md">
              {t('reports.form.title')}
            </Button>
            <Button component={Link} to="/tasks" size="md" variant="light">
              {t('tasks.list.title')}
            </Button>
          </Group>
        </div>

        <Group gap="xl" align="flex-end" wrap="wrap">
          <Checkbox.Group
            label={t('map.filterLabel')}
            value={shown}
            onChange={(value) => setShown(KINDS.filter((k) => value.includes(k)))}
          >
            <Group gap="lg" mt={6}>
              {KINDS.map((kind) => (
                <Checkbox key={kind} value={kind} label={t(`map.filter.${kind}`)} size="md" />
              ))}
            </Group>
          </Checkbox.Group>
          <GoToMunicipality options={sorted} chosen={chosen} />
        </Group>

        {tilesFailed && (
          <Alert color="notice" title={t('map.noTilesTitle')} data-testid="tiles-failed">
            {t('map.noTiles')}
          </Alert>
        )}

        <div className={classes.layout}>
          <LeafletMap
            label={t('map.mapLabel')}
            pins={pins}
            selectedId={selected}
            onSelect={setSelected}
            fit={fit}
            onViewChange={setView}
            onTilesFailed={() => setTilesFailed(true)}
          />
          <section aria-labelledby="place-list-title">
            <Title order={2} size="h3" id="place-list-title" mb="sm">
              {t('map.listTitle', { count: places.length })}
            </Title>
            <div role="status" aria-live="polite" className={classes.muted}>
              {selectedPlace
                ? t('map.selected', { name: label(selectedPlace) })
                : feeds.status === 'ready' && places.length === 0
                  ? t('map.empty')
                  : ''}
            </div>
            {feeds.status === 'loading' && places.length === 0 && (
              <LoadingState label={t('map.loading')} />
            )}
            {feeds.status === 'error' &&
              (isViewTooLarge(feeds.error) ? (
                <Text role="status" data-testid="zoom-in">
                  {t('map.zoomInToSee')}
                </Text>
              ) : (
                <ErrorState error={feeds.error} onRetry={() => setAttempt((n) => n + 1)} />
              ))}
            <PlaceList
              places={places}
              selected={selected}
              onSelect={setSelected}
              linkTo={(place) => `/${place.kind}s/${place.id}`}
            />
          </section>
        </div>
      </Stack>
    </Container>
  );
}
