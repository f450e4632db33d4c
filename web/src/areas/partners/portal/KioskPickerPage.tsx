import { Alert, Button, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { InfoIcon } from '../../../components/icons';
import { useDocumentTitle } from '../../../components/useDocumentTitle';
import { usePartner } from './PartnerLayout';
import classes from './portal.module.css';

/** `/partner/kiosk`: choose the location whose code this screen shows. */
export function KioskPickerPage() {
  const { t } = useTranslation();
  const { partner } = usePartner();
  useDocumentTitle(t('partnerPortal.kiosk.pickTitle'));
  return (
    <Stack gap="lg" maw="48rem">
      <div>
        <Title order={1}>{t('partnerPortal.kiosk.pickTitle')}</Title>
        <Text size="lg" mt="xs">
          {t('partnerPortal.kiosk.pickIntro')}
        </Text>
      </div>
      {partner.locations.length === 0 ? (
        <Alert color="blue" variant="light" icon={<InfoIcon />}>
          <Text>{t('partnerPortal.kiosk.noLocations')}</Text>
        </Alert>
      ) : (
        <Stack component="ul" gap="sm" p={0} className={classes.jobs} data-testid="kiosk-locations">
          {partner.locations.map((location) => (
            <Paper component="li" key={location.id} withBorder radius="md" p="md">
              <Text fw={700} size="lg" className={classes.wrap}>
                {location.name}
              </Text>
              <Text c="gray.8" className={classes.wrap}>
                {location.address}
              </Text>
              <Button
                component={Link}
                to={`/partner/kiosk/${encodeURIComponent(location.id)}`}
                mt="sm"
                size="md"
                className={classes.touch}
                aria-label={t('partnerPortal.kiosk.showFor', { name: location.name })}
              >
                {t('partnerPortal.kiosk.show')}
              </Button>
            </Paper>
          ))}
        </Stack>
      )}
      <Text size="sm" c="gray.8">
        {t('partnerPortal.kiosk.howItWorks')}
      </Text>
    </Stack>
  );
}
