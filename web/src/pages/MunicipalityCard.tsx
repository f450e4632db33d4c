import { Anchor, Card, Group, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Municipality } from '../api/types';
import { ChevronRightIcon } from '../components/icons';
import { formatCount, formatEuroCents } from '../i18n/format';
import { useLocale } from '../i18n/useLocale';
import classes from './pages.module.css';

/** One municipality in the list; the whole card is the link to its page. */
export function MunicipalityCard({ municipality }: { municipality: Municipality }) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const name = municipality.names[locale];
  return (
    <Card withBorder radius="lg" padding="lg" className={classes.card}>
      <Group justify="space-between" wrap="nowrap" align="flex-start" gap="sm">
        <div>
          <Title order={3} className={classes.cardTitle}>
            <Anchor
              component={Link}
              to={`/municipalities/${encodeURIComponent(municipality.slug)}`}
              className={classes.cardLink}
              data-testid="municipality-link"
            >
              {name}
            </Anchor>
          </Title>
          {municipality.nisCode && (
            <Text size="sm" c="dimmed" mt={2}>
              {t('municipality.nisCode')} {municipality.nisCode}
            </Text>
          )}
        </div>
        <span className={classes.chevron}>
          <ChevronRightIcon size={20} />
        </span>
      </Group>
      <dl className={classes.cardFacts}>
        <div>
          <dt className={classes.factLabel}>{t('municipality.households')}</dt>
          <dd className={classes.factValue} data-testid="households">
            {formatCount(municipality.registeredHouseholds, locale)}
          </dd>
        </div>
        <div>
          <dt className={classes.factLabel}>{t('municipality.pointValue')}</dt>
          <dd className={classes.factValue}>
            {formatEuroCents(municipality.pointValueCents, locale)}
          </dd>
        </div>
      </dl>
    </Card>
  );
}
