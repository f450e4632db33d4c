import { Anchor, Container, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { AREAS } from '../areas/areas';
import classes from './layout.module.css';

/** About line, the list of the app's areas, and the API documentation. */
export function SiteFooter() {
  const { t } = useTranslation();
  return (
    <footer className={classes.footer}>
      <Container size="lg" py="xl">
        <Stack gap="md">
          <Text size="sm">{t('footer.about')}</Text>
          <nav aria-label={t('areas.navLabel')}>
            <Group gap="xs" align="baseline">
              <Text component="span" size="sm" fw={600}>
                {t('areas.navLabel')}
              </Text>
              <Group gap="sm" component="ul" className={classes.footerList}>
                {AREAS.map((area) => (
                  <li key={area}>
                    <Anchor
                      component={Link}
                      to={`/${area}`}
                      size="sm"
                      className={classes.footerLink}
                    >
                      {t(`areas.${area}.name`)}
                    </Anchor>
                  </li>
                ))}
              </Group>
            </Group>
          </nav>
          <Anchor href="/docs" size="sm" className={classes.footerLink}>
            {t('footer.apiDocs')}
          </Anchor>
        </Stack>
      </Container>
    </footer>
  );
}
