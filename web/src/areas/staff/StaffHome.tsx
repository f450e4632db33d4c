import { Anchor, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { useLocale } from '../../i18n/useLocale';
import { can, pagesFor } from './access';
import { ParticipationSummary } from './ParticipationSummary';
import { useStaff } from './staffContext';

/** `/staff`: who is signed in, where, and the pages their roles open. */
export function StaffHome() {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const { me, municipality } = useStaff();
  useDocumentTitle(t('staffArea.home.title'));
  const pages = pagesFor(me.user).filter((page) => page.key !== 'overview');
  return (
    <Stack gap="lg" data-testid="staff-home">
      <div>
        <Title order={1}>{t('staffArea.home.title')}</Title>
        <Text size="lg" mt="xs">
          {municipality
            ? t('staffArea.home.intro', {
                name: me.user.displayName,
                municipality: municipality.names[locale],
              })
            : t('staffArea.home.introNoMunicipality', { name: me.user.displayName })}
        </Text>
      </div>
      {municipality && can(me.user, 'participation.read') && (
        <ParticipationSummary municipality={municipality} />
      )}
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="md">
        {pages.map((page) => (
          <Paper
            key={page.key}
            withBorder
            radius="md"
            p="md"
            component="section"
            aria-labelledby={`card-${page.key}`}
          >
            <Title order={2} size="h4" id={`card-${page.key}`}>
              <Anchor component={Link} to={page.path} underline="always">
                {t(`staffArea.nav.${page.key}`)}
              </Anchor>
            </Title>
            <Text mt={4}>{t(`staffArea.home.cards.${page.key}`)}</Text>
          </Paper>
        ))}
      </SimpleGrid>
    </Stack>
  );
}
