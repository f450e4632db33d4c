import { Alert, Anchor, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { AlertIcon } from '../../../components/icons';
import { useDocumentTitle } from '../../../components/useDocumentTitle';

/** A job of the portal that this partner user's roles do not include, said as the page. */
export function NotForYourRole({ job }: { job: 'confirm' | 'pos' }) {
  const { t } = useTranslation();
  const title = t('partnerPortal.notForRole.title');
  useDocumentTitle(title);
  return (
    <Alert
      role="alert"
      variant="light"
      color="red"
      radius="md"
      icon={<AlertIcon />}
      maw="44rem"
      title={
        <Title order={1} size="h3" c="inherit">
          {title}
        </Title>
      }
    >
      <Text>{t(`partnerPortal.notForRole.${job}`)}</Text>
      <Text mt="sm">
        <Anchor component={Link} to="/partner" fw={600} underline="always">
          {t('partnerPortal.nav.home')}
        </Anchor>
      </Text>
    </Alert>
  );
}
