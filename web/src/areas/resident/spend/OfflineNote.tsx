import { Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useOnline } from '../../../offline/useOnline';
import classes from './spend.module.css';

/** Offline: says that this is what was kept when the page was last opened, and that it still works. */
export function OfflineNote() {
  const { t } = useTranslation();
  const online = useOnline();
  return (
    <div role="status" aria-live="polite" className={classes.liveRegion}>
      {!online && (
        <Text className={classes.offline} data-testid="offline-note">
          {t('vouchers.offline')}
        </Text>
      )}
    </div>
  );
}
