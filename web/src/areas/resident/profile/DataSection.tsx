import { Alert, Button, Modal, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { deleteMyAccount, MY_DATA_EXPORT } from '../../../api/profile';
import { useSession } from '../../../api/session';
import { AlertIcon } from '../../../components/icons';
import classes from './profile.module.css';
import { Section } from './Section';

/** Download everything about me; delete my account, after saying plainly what that means. */
export function DataSection() {
  const { t } = useTranslation();
  const session = useSession();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);

  const remove = async () => {
    setBusy(true);
    setFailed(false);
    try {
      await deleteMyAccount();
      navigate('/resident/profile', { replace: true, state: { accountDeleted: true } });
      await session.refresh();
    } catch {
      setFailed(true);
      setBusy(false);
    }
  };

  return (
    <Section id="profile-data" title={t('profile.data.title')}>
      <Text>{t('profile.data.downloadText')}</Text>
      <Button
        component="a"
        href={MY_DATA_EXPORT}
        download
        variant="light"
        size="md"
        mt="sm"
        className={classes.touch}
      >
        {t('profile.data.download')}
      </Button>
      <Text mt="lg">{t('profile.data.deleteText')}</Text>
      <Button
        color="red"
        variant="outline"
        c="red.9"
        size="md"
        mt="sm"
        className={classes.touch}
        onClick={() => setOpen(true)}
      >
        {t('profile.data.delete')}
      </Button>
      <Modal
        opened={open}
        onClose={() => setOpen(false)}
        title={t('profile.data.confirmTitle')}
        centered
        size="lg"
        closeButtonProps={{ 'aria-label': t('profile.cancel') }}
      >
        <Stack gap="sm">
          <Text>{t('profile.data.confirmIntro')}</Text>
          <ul className={classes.list}>
            <li>{t('profile.data.confirmPoints')}</li>
            <li>{t('profile.data.confirmErased')}</li>
            <li>{t('profile.data.confirmHousehold')}</li>
            <li>{t('profile.data.confirmSignedOut')}</li>
            <li>{t('profile.data.confirmKept')}</li>
          </ul>
          <Text fw={700}>{t('profile.data.confirmFinal')}</Text>
          {failed && (
            <Alert role="alert" color="red" variant="light" icon={<AlertIcon />}>
              {t('profile.failed')}
            </Alert>
          )}
          <Button
            color="red.9"
            size="md"
            className={classes.touch}
            loading={busy}
            onClick={() => void remove()}
          >
            {t('profile.data.confirmYes')}
          </Button>
          <Button
            variant="default"
            size="md"
            className={classes.touch}
            disabled={busy}
            onClick={() => setOpen(false)}
          >
            {t('profile.cancel')}
          </Button>
        </Stack>
      </Modal>
    </Section>
  );
}
