import { Container, SimpleGrid, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useMunicipalities, useRegion } from '../api/endpoints';
import { ErrorState } from '../components/ErrorState';
import { LoadingState } from '../components/LoadingState';
import { useDocumentTitle } from '../components/useDocumentTitle';
import { intlLocale } from '../i18n/format';
import { useLocale } from '../i18n/useLocale';
import { MunicipalityCard } from './MunicipalityCard';
import classes from './pages.module.css';
import { RegionSummary } from './RegionSummary';

/** The start page: the region's municipalities with their registered households. */
export function HomePage() {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const region = useRegion();
  const list = useMunicipalities();
  useDocumentTitle(t('home.title'));

  const items =
    list.status === 'ready'
      ? [...list.data.items].sort((a, b) =>
          a.names[locale].localeCompare(b.names[locale], intlLocale(locale)),
        )
      : [];

  return (
    <>
      <section className={classes.hero} aria-labelledby="home-title">
        <Container size="lg" py={{ base: 'xl', sm: 56 }}>
          {region.status === 'ready' && (
            <Text className={classes.eyebrow}>{region.data.names[locale]}</Text>
          )}
          <Title order={1} id="home-title">
            {t('home.title')}
          </Title>
          <Text size="lg" mt="md" maw="42rem" className={classes.lead}>
            {t('home.intro')}
          </Text>
          {list.status === 'ready' && items.length > 0 && <RegionSummary municipalities={items} />}
        </Container>
      </section>

      <Container size="lg" py="xl">
        <section aria-labelledby="list-title">
          <Title order={2} id="list-title" mb="lg">
            {t('home.listTitle')}
          </Title>
          {list.status === 'loading' && <LoadingState label={t('loading.municipalities')} />}
          {list.status === 'error' && <ErrorState error={list.error} onRetry={list.retry} />}
          {list.status === 'ready' && items.length === 0 && <Text>{t('home.empty')}</Text>}
          {items.length > 0 && (
            <SimpleGrid
              component="ul"
              cols={{ base: 1, sm: 2, md: 3 }}
              spacing="lg"
              className={classes.list}
              data-testid="municipality-list"
            >
              {items.map((municipality) => (
                <li key={municipality.id}>
                  <MunicipalityCard municipality={municipality} />
                </li>
              ))}
            </SimpleGrid>
          )}
        </section>
      </Container>
    </>
  );
}
