import { Button, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { KeyIcon } from '../../components/icons';
import classes from './resident.module.css';

/** The signed-out resident's one main action. */
export function ResidentSignInCall() {
  const { t } = useTranslation();
  return (
    <div className={classes.call}>
      <Text size="lg">{t('resident.signInLead')}</Text>
      <Button
        component={Link}
        to="/sign-in"
        size="lg"
        mt="md"
        leftSection={<KeyIcon size={20} />}
        className={classes.touch}
      >
        {t('nav.signIn')}
      </Button>
    </div>
  );
}
