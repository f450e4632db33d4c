import { Anchor, Container, Grid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useMunicipality } from '../../api/endpoints';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { useLocale } from '../../i18n/useLocale';
import classes from '../pages.module.css';
import { BoundaryCard } from './BoundaryCard';
import { MunicipalityFacts } from './MunicipalityFacts';
import { MunicipalityNames } from './MunicipalityNames';
import { TransparencyCard } from './TransparencyCard';

/** `/municipalities/:slug`: names, registered households, point value and boundary. */
export function MunicipalityPage() {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const { slug = '' } = useParams();
  const resource = useMunicipality(slug);
  const municipality = resource.status === 'ready' ? resource.data : null;
  const name = municipality?.names[locale];
  useDocumentTitle(
    name ?? (resource.status === 'error' ? t('error.notFoundTitle') : t('loading.municipality')),
  );

  return (
    <Container size="lg" py="xl">
      <nav aria-label={t('breadcrumb.label')} className={classes.breadcrumb}>
        <ol>
          <li>
            <Anchor component={Link} to="/">
              {t('municipality.allMunicipalities')}
            </Anchor>
          </li>
          {name && (
            <li aria-current="page">
              <Text component="span">{name}</Text>
            </li>
          )}
        </ol>
      </nav>

      {resource.status === 'loading' && <LoadingState label={t('loading.municipality')} />}
      {resource.status === 'error' && (
        <ErrorState
          error={resource.error}
          onRetry={resource.retry}
          withBackToList
          headingLevel={1}
        />
      )}
      {municipality && (
        <>
          <Title order={1} mt="xs" mb="lg">
            {name}
          </Title>
          <Grid gap="lg">
            <Grid.Col span={{ base: 12, md: 5 }}>
              <Stack gap="lg">
                <MunicipalityFacts municipality={municipality} />
                <TransparencyCard municipality={municipality} />
                <MunicipalityNames municipality={municipality} />
              </Stack>
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 7 }}>
              <BoundaryCard municipality={municipality} />
            </Grid.Col>
          </Grid>
        </>
      )}
    </Container>
  );
}
