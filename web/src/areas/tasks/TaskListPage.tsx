import { Container, Group, NativeSelect, Stack, Text, TextInput, Title } from '@mantine/core';
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { useLocale } from '../../i18n/useLocale';
import { GoToMunicipality } from '../../map/GoToMunicipality';
import { LeafletMap } from '../../map/LeafletMap';
import classes from '../../map/map.module.css';
import { type Bounds, bboxParam } from '../../map/mapTypes';
import { PlaceList } from '../../map/PlaceList';
import { type Place, pinsOf, placeName } from '../../map/places';
import { useMunicipalityBounds } from '../../map/useMunicipalityBounds';
import { useMunicipalityChoice } from '../../map/useMunicipalityChoice';
import { type NearbyTask, useNearbyTasks } from './tasksApi';

const BOUNTIES = ['', '25', '50', '100'];
const MINUTES = ['', '30', '60', '120'];

/** A task of the nearby search as a place of the map and its list. */
export function taskPlace(task: NearbyTask): Place {
  return {
    id: task.id,
    kind: 'task',
    lat: task.latitude,
    lon: task.longitude,
    properties: {
      id: task.id,
      kind: 'task',
      names: task.title,
      status: task.status,
      municipality: task.municipalitySlug,
      createdAt: task.publishedAt ?? task.createdAt,
      bounty: task.bountyPoints,
      slotsLeft: task.slotsLeft,
      windowStart: task.windowStart,
      windowEnd: task.windowEnd,
      estimatedMinutes: task.estimatedMinutes,
    },
  };
}

/**
 * Tasks (`/tasks`): open tasks in the part of the map shown, nearest its middle first, with
 * filters (at least so many points, at most so many minutes, on a day) and the same list beside
 * the map.
 */
export function TaskListPage() {
  const { t } = useTranslation();
  const { locale } = useLocale();
  useDocumentTitle(t('tasks.list.title'));
  const [search] = useSearchParams();
  const { options, chosen } = useMunicipalityChoice(search.get('municipality'));
  const fit = useMunicipalityBounds(chosen);
  const [view, setView] = useState<Bounds | null>(null);
  const [minBounty, setMinBounty] = useState('');
  const [maxMinutes, setMaxMinutes] = useState('');
  const [date, setDate] = useState('');
  const [selected, setSelected] = useState<string | null>(null);

  const query = view
    ? new URLSearchParams({
        bbox: bboxParam(view),
        ...(minBounty && { minBounty }),
        ...(maxMinutes && { maxMinutes }),
        ...(date && { date }),
      }).toString()
    : null;
  const tasks = useNearbyTasks(query);
  const places = useMemo(
    () => (tasks.status === 'ready' && query ? tasks.data.items.map(taskPlace) : []),
    [tasks, query],
  );
  const label = useCallback(
    (place: Place) => `${t('map.kind.task')}: ${placeName(place, locale)}`,
    [t, locale],
  );
  const pins = useMemo(() => pinsOf(places, label), [places, label]);

  return (
    <Container size="lg" py="xl">
      <Stack gap="lg">
        <div>
          <Title order={1}>{t('tasks.list.title')}</Title>
          <Text mt="xs" maw="44rem">
            {t('tasks.list.intro')}
          </Text>
        </div>
        <Group gap="lg" align="flex-end" wrap="wrap">
          <GoToMunicipality options={options} chosen={chosen} />
          <NativeSelect
            label={t('tasks.list.minBounty')}
            size="md"
            value={minBounty}
            onChange={(e) => setMinBounty(e.currentTarget.value)}
            data={BOUNTIES.map((v) => ({
              value: v,
              label: v ? t('tasks.points', { points: v }) : t('tasks.list.any'),
            }))}
          />
          <NativeSelect
            label={t('tasks.list.maxMinutes')}
            size="md"
            value={maxMinutes}
            onChange={(e) => setMaxMinutes(e.currentTarget.value)}
            data={MINUTES.map((v) => ({
              value: v,
              label: v ? t('tasks.minutes', { minutes: v }) : t('tasks.list.any'),
            }))}
          />
          <TextInput
            type="date"
            size="md"
            label={t('tasks.list.date')}
            value={date}
            onChange={(e) => setDate(e.currentTarget.value)}
          />
        </Group>
        <div className={classes.layout}>
          <LeafletMap
            label={t('tasks.list.map')}
            pins={pins}
            selectedId={selected}
            onSelect={setSelected}
            fit={fit}
            onViewChange={setView}
          />
          <section aria-labelledby="task-list-title">
            <Title order={2} size="h3" id="task-list-title" mb="sm">
              {t('map.listTitle', { count: places.length })}
            </Title>
            <div role="status" aria-live="polite" className={classes.muted}>
              {tasks.status === 'ready' && query && places.length === 0
                ? t('tasks.list.empty')
                : ''}
            </div>
            {tasks.status === 'loading' && <LoadingState label={t('tasks.list.loading')} />}
            {tasks.status === 'error' && <ErrorState error={tasks.error} onRetry={tasks.retry} />}
            <PlaceList
              places={places}
              selected={selected}
              onSelect={setSelected}
              linkTo={(place) => `/tasks/${place.id}`}
            />
          </section>
        </div>
      </Stack>
    </Container>
  );
}
