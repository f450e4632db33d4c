import { Alert, Anchor, Button, Paper, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { ApiError } from '../../../api/client';
import { AlertIcon } from '../../../components/icons';
import { useDocumentTitle } from '../../../components/useDocumentTitle';
import earn from '../earn/earn.module.css';
import { unsubscribe } from './alertsApi';

/**
 * `/alerts/unsubscribe?alert=…&token=…`: where a digest's "stop" link leads. It asks once and
 * then stops the alert — opening the link does nothing by itself, because mail scanners open
 * links. No sign-in needed: the link is the proof.
 */
export function UnsubscribePage() {
  const { t } = useTranslation();
  useDocumentTitle(t('alerts.unsubscribe.title'));
  const [params] = useSearchParams();
  const alertId = params.get('alert') ?? '';
  const token = params.get('token') ?? '';
  const [state, setState] = useState<'ask' | 'busy' | 'done' | 'invalid' | 'failed'>(
    alertId && token ? 'ask' : 'invalid',
  );

  const confirm = async () => {
    setState('busy');
    try {
      await unsubscribe(alertId, token);
      setState('done');
    } catch (error) {
      setState(error instanceof ApiError && error.status === 404 ? 'invalid' : 'failed');
    }
  };

  return (
    <Stack gap="lg" className={earn.narrow} data-testid="unsubscribe-page">
      <Title order={1}>{t('alerts.unsubscribe.title')}</Title>
      <Paper withBorder radius="lg" p="lg">
        {(state === 'ask' || state === 'busy') && (
          <Stack gap="md">
            <Text size="lg">{t('alerts.unsubscribe.question')}</Text>
            <Button
              size="md"
              onClick={() => void confirm()}
              loading={state === 'busy'}
              style={{ alignSelf: 'flex-start' }}
            >
              {t('alerts.unsubscribe.confirm')}
            </Button>
          </Stack>
        )}
        {state === 'done' && (
          <Alert role="status" color="green" variant="light" data-testid="unsubscribed">
            {t('alerts.unsubscribe.done')}
          </Alert>
        )}
        {state === 'invalid' && (
          <Alert role="alert" color="red" variant="light" icon={<AlertIcon />}>
            {t('alerts.unsubscribe.invalid')}
          </Alert>
        )}
        {state === 'failed' && (
          <Alert role="alert" color="red" variant="light" icon={<AlertIcon />}>
            {t('alerts.unsubscribe.failed')}
          </Alert>
        )}
      </Paper>
      <Anchor component={Link} to="/resident/alerts" className={earn.back}>
        {t('alerts.unsubscribe.manage')}
      </Anchor>
    </Stack>
  );
}
