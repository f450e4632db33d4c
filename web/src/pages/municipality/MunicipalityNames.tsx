import { Card, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Municipality } from '../../api/types';
import { languageName } from '../../i18n/format';
import { LOCALES } from '../../i18n/locales';
import { useLocale } from '../../i18n/useLocale';
import classes from '../pages.module.css';

/** The municipality's name in each of the four languages, each marked with its language. */
export function MunicipalityNames({ municipality }: { municipality: Municipality }) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  return (
    <Card withBorder radius="lg" padding="lg" component="section" aria-labelledby="names-title">
      <Title order={2} size="h4" id="names-title" mb="md">
        {t('municipality.names')}
      </Title>
      <dl className={classes.names}>
        {LOCALES.map((code) => (
          <div key={code} className={classes.nameRow}>
            <dt className={classes.factLabel}>{languageName(code, locale)}</dt>
            <dd lang={code} className={classes.nameValue}>
              {municipality.names[code]}
            </dd>
          </div>
        ))}
      </dl>
    </Card>
  );
}
