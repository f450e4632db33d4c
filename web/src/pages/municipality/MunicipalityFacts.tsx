import { Card, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Municipality } from '../../api/types';
import { formatCount, formatEuroCents, languageName } from '../../i18n/format';
import { useLocale } from '../../i18n/useLocale';
import classes from '../pages.module.css';

/** Registered households, the value of a point, the main language and the NIS code. */
export function MunicipalityFacts({ municipality }: { municipality: Municipality }) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  return (
    <Card withBorder radius="lg" padding="lg" component="section" aria-labelledby="facts-title">
      <Title order={2} size="h4" id="facts-title" mb="md">
        {t('municipality.facts')}
      </Title>
      <dl className={classes.facts}>
        <div className={classes.factWide}>
          <dt className={classes.factLabel}>{t('municipality.households')}</dt>
          <dd className={classes.factHero} data-testid="households">
            {formatCount(municipality.registeredHouseholds, locale)}
          </dd>
        </div>
        <div>
          <dt className={classes.factLabel}>{t('municipality.pointValue')}</dt>
          <dd className={classes.factValue} data-testid="point-value">
            {formatEuroCents(municipality.pointValueCents, locale)}
          </dd>
        </div>
        <div>
          <dt className={classes.factLabel}>{t('municipality.mainLanguage')}</dt>
          <dd className={classes.factValue}>{languageName(municipality.defaultLocale, locale)}</dd>
        </div>
        {municipality.nisCode && (
          <div>
            <dt className={classes.factLabel}>{t('municipality.nisCode')}</dt>
            <dd className={classes.factValue}>{municipality.nisCode}</dd>
          </div>
        )}
      </dl>
    </Card>
  );
}
