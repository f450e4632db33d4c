import { Anchor, Button, Group, Stack, Text } from '@mantine/core';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatDate } from '../i18n/format';
import { useLocale } from '../i18n/useLocale';
import classes from './map.module.css';
import { type Place, placeName } from './places';

/** The key of a place on the map and in the list: `task:<id>` or `report:<id>`. */
export const placeKey = (place: Place) => `${place.kind}:${place.id}`;

/**
 * The places on the map as a list: what it is, its name, status and (for a task) the points and
 * slots left, "Show on the map" and a link to its page. Everything on the map is reachable here.
 */
export function PlaceList({
  places,
  selected,
  onSelect,
  linkTo,
}: {
  places: Place[];
  selected: string | null;
  onSelect: (key: string) => void;
  /** The page of a place, when it has one. */
  linkTo?: (place: Place) => string | null;
}) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const items = useRef(new Map<string, HTMLLIElement>());

  useEffect(() => {
    if (selected) items.current.get(selected)?.scrollIntoView({ block: 'nearest' });
  }, [selected]);

  return (
    <ul className={classes.list} data-testid="place-list">
      {places.map((place) => {
        const key = placeKey(place);
        const isSelected = key === selected;
        const name = placeName(place, locale);
        const p = place.properties;
        const href = linkTo?.(place) ?? null;
        return (
          <li
            key={key}
            ref={(element) => {
              if (element) items.current.set(key, element);
              else items.current.delete(key);
            }}
            className={`${classes.item} ${isSelected ? classes.itemSelected : ''}`}
            data-place={key}
          >
            <Stack gap={4}>
              <Text
                size="sm"
                className={place.kind === 'task' ? classes.kindTask : classes.kindReport}
              >
                {t(`map.kind.${place.kind}`)}
              </Text>
              <Text fw={700} component="h3" size="md">
                {href ? (
                  <Anchor component={Link} to={href}>
                    {name}
                  </Anchor>
                ) : (
                  name
                )}
              </Text>
              <Text size="sm" className={classes.muted}>
                {t(`map.status.${p.subStatus ?? p.status}`, {
                  defaultValue: p.subStatus ?? p.status,
                })}
                {' · '}
                {t('map.since', { date: formatDate(p.createdAt, locale) })}
              </Text>
              {place.kind === 'task' && (
                <Text size="sm">
                  {t('map.taskFacts', { points: p.bounty ?? 0, slots: p.slotsLeft ?? 0 })}
                  {p.estimatedMinutes
                    ? ` · ${t('tasks.minutes', { minutes: p.estimatedMinutes })}`
                    : ''}
                </Text>
              )}
              {place.kind === 'task' && p.windowEnd && (
                <Text size="sm" className={classes.muted}>
                  {t('tasks.until', { date: formatDate(p.windowEnd, locale) })}
                </Text>
              )}
              <Group gap="xs">
                <Button
                  size="sm"
                  variant={isSelected ? 'filled' : 'light'}
                  className={classes.wrap}
                  classNames={{ label: classes.wrapLabel }}
                  aria-pressed={isSelected}
                  onClick={() => onSelect(key)}
                  aria-label={t('map.showNamed', { name })}
                >
                  {t('map.show')}
                </Button>
              </Group>
            </Stack>
          </li>
        );
      })}
    </ul>
  );
}
