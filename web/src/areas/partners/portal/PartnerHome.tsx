import { Paper, SimpleGrid, Stack, Text, Title, UnstyledButton } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useDocumentTitle } from '../../../components/useDocumentTitle';
import { usePartner } from './PartnerLayout';
import classes from './portal.module.css';
import { partnerPagesFor } from './portalApi';

/** `/partner`: the organisation's short list of jobs, as big buttons a finger finds. */
export function PartnerHome() {
  const { t } = useTranslation();
  const { me, partner } = usePartner();
  useDocumentTitle(t('partnerPortal.home.title'));
  const jobs = partnerPagesFor(me.user.roles).filter((page) => page.key !== 'home');
  return (
    <Stack gap="lg" data-testid="partner-home">
      <div>
        <Title order={1}>{t('partnerPortal.home.title')}</Title>
        <Text size="lg" mt="xs">
          {t('partnerPortal.home.intro', { name: me.user.displayName, partner: partner.name })}
        </Text>
      </div>
      <SimpleGrid
        cols={{ base: 1, sm: 2, lg: 3 }}
        spacing="md"
        component="ul"
        className={classes.jobs}
      >
        {jobs.map((page) => (
          <li key={page.key}>
            <UnstyledButton component={Link} to={page.path} className={classes.job}>
              <Paper withBorder radius="md" p="lg" h="100%">
                <Text fw={700} size="xl" c="civic.9">
                  {t(`partnerPortal.nav.${page.key}`)}
                </Text>
                <Text mt={4}>{t(`partnerPortal.home.jobs.${page.key}`)}</Text>
              </Paper>
            </UnstyledButton>
          </li>
        ))}
      </SimpleGrid>
    </Stack>
  );
}
