import { Button, Container, Group, Text, UnstyledButton } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useRegion } from '../api/endpoints';
import { useSession } from '../api/session';
import { LeafIcon, MapPinIcon } from '../components/icons';
import { useLocale } from '../i18n/useLocale';
import { DemoNotice } from './DemoNotice';
import { LanguageSwitch } from './LanguageSwitch';
import classes from './layout.module.css';

/** Brand (link to the start page), the region's name, the language switch and the demo strip. */
export function SiteHeader() {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const region = useRegion();
  const regionName = region.status === 'ready' ? region.data.names[locale] : null;
  const session = useSession();
  const signedIn = session.state.status === 'signedIn';
  // Staff and partner users are not residents: their link goes to their own area.
  const workArea = session.state.status === 'worker' ? session.state.area : null;

  return (
    <header className={classes.header}>
      {region.status === 'ready' && region.data.demo && <DemoNotice />}
      <Container size="lg">
        <Group justify="space-between" wrap="nowrap" gap="sm" className={classes.bar}>
          <UnstyledButton component={Link} to="/" className={classes.brand}>
            <span className={classes.logo}>
              <LeafIcon size={22} />
            </span>
            <span className={classes.brandText}>
              <Text component="span" className={classes.brandName}>
                {t('app.name')}
              </Text>
              <Text component="span" size="xs" c="dimmed" className={classes.brandRegion}>
                {regionName ?? t('app.tagline')}
              </Text>
            </span>
          </UnstyledButton>
          <Group gap="xs" wrap="nowrap" className={classes.actions}>
            <nav aria-label={t('nav.label')} className={classes.siteNav}>
              <Button
                component={Link}
                to="/map"
                variant="subtle"
                size="sm"
                className={classes.account}
                leftSection={<MapPinIcon size={20} />}
                classNames={{ section: classes.mapLinkIcon }}
              >
                {/* On a phone only the pin shows; the name is still read out. */}
                <span className={classes.mapLinkText}>{t('nav.map')}</span>
              </Button>
              <Button
                component={Link}
                to={workArea ?? (signedIn ? '/resident' : '/sign-in')}
                variant={signedIn || workArea ? 'light' : 'filled'}
                size="sm"
                className={classes.account}
              >
                {workArea ? t('nav.myWork') : signedIn ? t('nav.myPoints') : t('nav.signIn')}
              </Button>
            </nav>
            <LanguageSwitch />
          </Group>
        </Group>
      </Container>
    </header>
  );
}
