import { Anchor, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useMunicipalities } from '../../api/endpoints';
import { AreaLanding } from '../../areas/AreaLanding';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import { intlLocale } from '../../i18n/format';
import { useLocale } from '../../i18n/useLocale';
import classes from '../pages.module.css';

/** `/public`: the transparency area, a way to each municipality's figures and open data. */
export function TransparencyIndex() {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const municipalities = useMunicipalities();
  return (
    <AreaLanding area="public" comingSoon={false}>
      {municipalities.status === 'loading' && <LoadingState label={t('figures.loading')} />}
      {municipalities.status === 'error' && (
        <ErrorState error={municipalities.error} onRetry={municipalities.retry} />
      )}
      {municipalities.status === 'ready' && (
        <nav aria-label={t('figures.public.listLabel')}>
          <Stack component="ul" gap="xs" className={classes.list}>
            {[...municipalities.data.items]
              .sort((a, b) => a.names[locale].localeCompare(b.names[locale], intlLocale(locale)))
              .map((m) => (
                <li key={m.slug}>
                  <Anchor
                    component={Link}
                    to={`/municipalities/${m.slug}/transparency`}
                    fw={600}
                    underline="always"
                  >
                    {t('figures.public.title', { name: m.names[locale] })}
                  </Anchor>
                </li>
              ))}
          </Stack>
        </nav>
      )}
    </AreaLanding>
  );
}
