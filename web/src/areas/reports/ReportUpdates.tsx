import { Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatDate } from '../../i18n/format';
import { useLocale } from '../../i18n/useLocale';
import classes from '../../map/map.module.css';
import type { ReportUpdate } from './reportsApi';

/** A report's public updates, newest first: the status it moved to, when, and the note. */
export function ReportUpdates({ updates }: { updates: ReportUpdate[] }) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  // The API lists them oldest first; at the same moment the later one stays above.
  const newestFirst = updates
    .map((update, index) => ({ update, index }))
    .sort((a, b) => b.update.at.localeCompare(a.update.at) || b.index - a.index)
    .map(({ update }) => update);
  return (
    <Stack component="ol" gap="xs" className={classes.list} data-testid="report-updates">
      {newestFirst.map((update) => (
        <li key={`${update.at}-${update.subStatus}`}>
          <Text size="sm">
            <Text component="span" fw={700}>
              {t(`map.status.${update.subStatus}`)}
            </Text>
            {' · '}
            {formatDate(update.at, locale)}
          </Text>
          {update.note && <Text size="sm">{update.note}</Text>}
        </li>
      ))}
    </Stack>
  );
}
