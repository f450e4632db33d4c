import { Card, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { MunicipalityDetail } from '../../api/types';
import { BoundaryOutline } from '../../components/BoundaryOutline';
import { useLocale } from '../../i18n/useLocale';
import classes from '../pages.module.css';

/** The boundary drawn as an outline, or a plain sentence when none is recorded. */
export function BoundaryCard({ municipality }: { municipality: MunicipalityDetail }) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const name = municipality.names[locale];
  return (
    <Card
      withBorder
      radius="lg"
      padding="lg"
      component="section"
      aria-labelledby="boundary-title"
      h="100%"
    >
      <Title order={2} size="h4" id="boundary-title" mb="md">
        {t('municipality.boundaryTitle')}
      </Title>
      {municipality.boundary ? (
        <figure className={classes.figure}>
          <div className={classes.outlineFrame}>
            <BoundaryOutline
              boundary={municipality.boundary}
              label={t('municipality.boundaryLabel', { name })}
            />
          </div>
          <Text component="figcaption" size="sm" c="dimmed" mt="sm">
            {t('municipality.boundaryCaption')}
          </Text>
        </figure>
      ) : (
        <Text c="dimmed">{t('municipality.boundaryNone')}</Text>
      )}
    </Card>
  );
}
